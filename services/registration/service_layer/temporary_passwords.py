"""An ADMIN's temporary password: set for a person who cannot use a reset link, to be changed
at their next login (the web asks for the change before anything else)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import structlog

from schemas.envelope import utcnow
from services.registration.domain import events, rbac
from services.registration.domain import validators as v
from services.registration.domain.commands import SetTemporaryPassword
from services.registration.domain.errors import NotPermitted
from services.registration.domain.model import Actor, User
from services.registration.service_layer.ports import Hasher, UnitOfWork
from services.registration.service_layer.sessions import LoginLimits
from services.registration.service_layer.targets import account_to_change

log = structlog.get_logger(__name__)


async def set_temporary_password(
    cmd: SetTemporaryPassword,
    actor: Actor | None,
    uow: UnitOfWork,
    hasher: Hasher,
    limits: LoginLimits,
    clock: Callable[[], datetime] = utcnow,
) -> User:
    """ADMIN only: the password becomes `cmd.password` (sign-up rules), to be changed at the next
    login; unused reset links of the person stop working. `actor` None: an operator on the
    command line (`cmd.operator` names them)."""
    if actor is not None and not rbac.can_set_temporary_password(actor):
        raise NotPermitted()
    by = actor.id if actor else None
    async with uow:
        user = await account_to_change(uow, cmd.user_id, for_update=False)
    v.check_password(cmd.password, user.cedula)
    new_hash = await hasher.hash(cmd.password)
    async with uow:
        current = await account_to_change(uow, cmd.user_id)
        current.password_hash, current.must_change_password = new_hash, True
        await uow.users.save(current)
        await uow.reset_links.revoke_unused(current.id, clock())
        await uow.throttle.clear(limits.per_cedula, current.cedula)
        await uow.outbox.add(
            events.temporary_password_set(current, by, cmd.correlation_id, cmd.operator)
        )
        await uow.commit()
    log.info(
        "user.temporary_password_set",
        user_id=str(current.id),
        by=str(by) if by else None,
        operator=cmd.operator,
    )
    return current
