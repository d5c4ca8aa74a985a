"""Who may hear of a change, and as which server-sent events. Pure functions, no I/O.

A USER hears of their own census; a LEADER also of their direct referrals; an ADMIN of everyone.
Events carry no personal data: only a name that tells the page which fragment to fetch again
through the ordinary, permission-checked routes: `change-<user id>` (that user's row or card),
`referrals` (a new referral), `referral-changed` (a referral's census, for a leader's counts),
`users` (a new user, for admins), `census-changed` (a referral's census answer changed: the
«Novedades» badge, for their leader and admins), `claims` (a claim for a taken cédula filed or
decided: the «Reclamos» list and count, for admins only; the account's holder hears nothing).
A hand-over tells both leaders `referrals` (the old one's list drops the person, the new one's
gains them); afterwards only the new leader hears of the person.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from schemas.events import (
    CedulaClaimFiled,
    CedulaClaimResolved,
    ReferralHandedOver,
    Role,
    UserRegistered,
    UserRoleChanged,
)
from services.web.auth.rules import can_view_census

REGISTERED = UserRegistered.type_name
ROLE_CHANGED = UserRoleChanged.type_name
HANDED_OVER = ReferralHandedOver.type_name
CENSUS_CHANGED = "CensusChanged"  # no event of its own: the projector's word for a new novedad
CLAIMS = frozenset({CedulaClaimFiled.type_name, CedulaClaimResolved.type_name})


@dataclass(frozen=True)
class Listener:
    """A connected browser: whose session it is and with which role."""

    user_id: UUID
    role: Role


@dataclass(frozen=True)
class Change:
    """A read-model change about one user (as the projector announced it)."""

    type: str
    user_id: UUID
    referrer_id: UUID | None
    previous_referrer_id: UUID | None = None  # a hand-over: the leader the person left


def may_see(listener: Listener, change: Change) -> bool:
    return can_view_census(listener.user_id, listener.role, change.user_id, change.referrer_id)


def event_names(listener: Listener, change: Change) -> list[str]:
    """The server-sent events this listener gets for this change (often none)."""
    if change.type in CLAIMS:
        return ["claims"] if listener.role is Role.ADMIN else []
    if change.type == CENSUS_CHANGED:
        leads = change.referrer_id is not None and change.referrer_id == listener.user_id
        return ["census-changed"] if leads or listener.role is Role.ADMIN else []
    if change.previous_referrer_id is not None and change.previous_referrer_id == listener.user_id:
        return ["referrals"]  # the old leader's list drops the person; nothing more about them
    visible = may_see(listener, change)
    names = [f"change-{change.user_id}"] if visible else []
    referrer = change.referrer_id is not None and change.referrer_id == listener.user_id
    if change.type in (REGISTERED, HANDED_OVER):
        if referrer:
            names.append("referrals")  # a new referral: counts and the referidos table
        if listener.role is Role.ADMIN:
            names.append("users")
    elif referrer and visible:
        names.append("referral-changed")
    return names
