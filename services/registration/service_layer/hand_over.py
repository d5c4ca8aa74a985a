"""Leader hand-over: an ADMIN moves all, or some, of one leader's direct referrals to another
leader. One ReferralHandedOver per referral (in its own partition, after its sign-up), all in one
transaction with the moves; who referred them first stays in the events and the read model."""

from __future__ import annotations

from uuid import UUID

import structlog

from services.registration.domain import events, rbac
from services.registration.domain.commands import HandOverReferrals
from services.registration.domain.errors import InvalidFields, NotPermitted, UserNotFound
from services.registration.domain.hand_over import check_leaders, referrals_to_move
from services.registration.domain.model import Actor
from services.registration.service_layer.ports import UnitOfWork

log = structlog.get_logger(__name__)


async def hand_over_referrals(
    cmd: HandOverReferrals, actor: Actor | None, uow: UnitOfWork
) -> list[UUID]:
    """The ids of the referrals moved. The origin's referrals are locked first, so a sign-up or
    another hand-over meanwhile cannot slip between the check and the move. `actor` None: an
    operator on the command line (`cmd.operator` names them)."""
    if actor is not None and not rbac.can_administer_accounts(actor):
        raise NotPermitted()
    by = actor.id if actor else None
    async with uow:
        origin = await uow.users.get(cmd.from_leader_id)
        if origin is None:
            raise UserNotFound()
        destination = await uow.users.get(cmd.to_leader_id)
        if destination is None:
            raise InvalidFields.one("to_leader_id", "no existe.")
        check_leaders(origin, destination)
        referrals = await uow.users.referrals_of(origin.id, for_update=True)
        moving = [
            user.id for user in referrals_to_move(origin, destination, referrals, cmd.user_ids)
        ]
        await uow.users.set_referrer(moving, destination.id)
        await uow.outbox.add(
            *(
                events.referral_handed_over(
                    user_id, origin.id, destination.id, by, cmd.correlation_id, cmd.operator
                )
                for user_id in moving
            )
        )
        await uow.commit()
    log.info(
        "referrals.handed_over",
        from_leader=str(origin.id),
        to_leader=str(destination.id),
        moved=len(moving),
        by=str(by) if by else None,
        operator=cmd.operator,
        correlation_id=str(cmd.correlation_id),
    )
    return moving
