"""Leader hand-over: which referrals of one leader may move to another, checked before anything
is written. Pure rules; the service layer loads the accounts and writes the moves."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from schemas.events import Role
from services.registration.domain.errors import InvalidFields
from services.registration.domain.model import User

SAME_LEADER = "debe ser otra persona que el líder de origen."
NOT_A_LEADER = "debe tener el rol de líder o de administrador."
DISABLED_LEADER = "tiene la cuenta desactivada; actívela antes o elija a otra persona."
NOT_REFERRALS = "algunas de las personas elegidas no son referidas directas del líder de origen."
ONTO_ITSELF = "es referido del líder de origen: no puede quedar referido por sí mismo."
NOTHING_TO_MOVE = "el líder de origen no tiene referidos para traspasar."


def check_leaders(origin: User, destination: User) -> None:
    """InvalidFields unless `destination` can take over `origin`'s referrals."""
    if origin.id == destination.id:
        raise InvalidFields.one("to_leader_id", SAME_LEADER)
    if destination.role not in (Role.LEADER, Role.ADMIN):
        raise InvalidFields.one("to_leader_id", NOT_A_LEADER)
    if destination.disabled:
        raise InvalidFields.one("to_leader_id", DISABLED_LEADER)


def referrals_to_move(
    origin: User, destination: User, referrals: Sequence[User], chosen: Sequence[UUID] | None
) -> list[User]:
    """The referrals that move, in the order given: every direct referral of `origin` (None), or
    those chosen, each of whom must be one. The destination itself never moves under itself:
    left out of "all", refused when chosen."""
    if chosen is None:
        moving = [user for user in referrals if user.id != destination.id]
    else:
        by_id = {user.id: user for user in referrals}
        wanted = list(dict.fromkeys(chosen))
        if any(user_id not in by_id for user_id in wanted):
            raise InvalidFields.one("user_ids", NOT_REFERRALS)
        if destination.id in by_id and destination.id in wanted:
            raise InvalidFields.one("to_leader_id", ONTO_ITSELF)
        moving = [by_id[user_id] for user_id in wanted]
    if not moving:
        raise InvalidFields.one("user_ids", NOTHING_TO_MOVE)
    return moving
