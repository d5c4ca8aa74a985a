"""Deleting an account (Ley 1581): the person themself or an ADMIN; never the last active ADMIN.

The person's key is deleted in the same transaction as their personal fields, and UserDeleted
(which carries none) tells the read model and the web's sessions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import structlog

from schemas.envelope import utcnow
from services.registration.domain import events, rbac
from services.registration.domain.commands import DeleteAccount
from services.registration.domain.errors import NotPermitted, UserNotFound
from services.registration.domain.model import Actor
from services.registration.service_layer.account_state import keep_an_active_admin
from services.registration.service_layer.ports import UnitOfWork

log = structlog.get_logger(__name__)


async def delete_account(
    cmd: DeleteAccount,
    actor: Actor | None,
    uow: UnitOfWork,
    clock: Callable[[], datetime] = utcnow,
) -> None:
    """`actor` None: an operator on the command line."""
    if actor is not None and not rbac.can_delete_account(actor, cmd.user_id):
        raise NotPermitted()
    async with uow:
        before = await uow.users.get(cmd.user_id, for_update=True)
        if before is None:
            raise UserNotFound()
        if before.erased:
            return  # deleted already: nothing left to erase, nothing to tell again
        # A deleted account can no longer log in: for the last-ADMIN rule it is a disabling.
        await keep_an_active_admin(uow, before, replace(before, disabled_at=clock()))
        await uow.erasure.erase(before, clock())
        by = actor.id if actor else None
        await uow.outbox.add(events.deleted(before.id, by, cmd.correlation_id, cmd.operator))
        await uow.commit()
    log.info(
        "user.deleted",
        user_id=str(cmd.user_id),
        by=str(by) if by else None,
        operator=cmd.operator,
    )
