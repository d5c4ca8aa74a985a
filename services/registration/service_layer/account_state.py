"""Disabling and enabling accounts (ADMIN only, or an operator's command line), and the rule
every change that may remove an active ADMIN applies inside its transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import structlog

from schemas.envelope import utcnow
from services.registration.domain import events, rbac
from services.registration.domain.commands import SetAccountState
from services.registration.domain.errors import NotPermitted
from services.registration.domain.last_admin import check_an_admin_remains, removes_an_active_admin
from services.registration.domain.model import Actor, User
from services.registration.service_layer.ports import UnitOfWork
from services.registration.service_layer.targets import account_to_change

log = structlog.get_logger(__name__)


async def keep_an_active_admin(uow: UnitOfWork, before: User, after: User) -> None:
    """LastActiveAdmin when `after` takes away the last active ADMIN. Call it with `before`'s
    row locked, inside the transaction that saves `after`: the count is made under a lock that
    every such change takes, so two of them (the last two admins demoted at once) cannot both
    count two admins."""
    if removes_an_active_admin(before, after):
        check_an_admin_remains(before, after, await uow.users.lock_active_admins())


async def set_account_state(
    cmd: SetAccountState,
    actor: Actor | None,
    uow: UnitOfWork,
    clock: Callable[[], datetime] = utcnow,
) -> User:
    """Disable or enable the account; emits UserDisabled or UserEnabled when the state changes.
    `actor` None: an operator on the command line (`cmd.operator` names them)."""
    if actor is not None and not rbac.can_change_account_state(actor):
        raise NotPermitted()
    async with uow:
        before = await account_to_change(uow, cmd.user_id)
        if before.disabled is cmd.disabled:
            return before
        after = replace(before, disabled_at=clock() if cmd.disabled else None)
        await keep_an_active_admin(uow, before, after)
        await uow.users.save(after)
        by = actor.id if actor else None
        await uow.outbox.add(
            events.account_state_changed(after, by, cmd.operator, cmd.correlation_id)
        )
        await uow.commit()
    log.info(
        "user.disabled" if after.disabled else "user.enabled",
        user_id=str(after.id),
        by=str(by) if by else None,
        operator=cmd.operator,
    )
    return after
