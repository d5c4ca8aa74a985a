"""Role changes (ADMIN only; never of the last active ADMIN) and resolving who is acting."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

import structlog

from services.registration.domain import events, rbac
from services.registration.domain.commands import ChangeRole
from services.registration.domain.errors import (
    AccountDisabled,
    NotPermitted,
    UnknownActor,
)
from services.registration.domain.model import Actor, User
from services.registration.domain.validators import parse_role
from services.registration.service_layer.account_state import keep_an_active_admin
from services.registration.service_layer.ports import UnitOfWork
from services.registration.service_layer.targets import account_to_change

log = structlog.get_logger(__name__)


async def resolve_actor(actor_id: UUID, uow: UnitOfWork) -> Actor:
    """The acting user with the role stored here: the web service says who, never what role.
    A disabled account acts no more (AccountDisabled), whatever session it may still have."""
    async with uow:
        user = await uow.users.get(actor_id)
    if user is None:
        raise UnknownActor()
    if user.disabled:
        raise AccountDisabled()
    return Actor(user.id, user.role)


async def change_role(cmd: ChangeRole, actor: Actor | None, uow: UnitOfWork) -> User:
    """Set a user's role; emits UserRoleChanged when it actually changes. `actor` None: an
    operator on the command line (`cmd.operator` names them)."""
    if actor is not None and not rbac.can_change_roles(actor):
        raise NotPermitted()
    role = parse_role(cmd.role)
    async with uow:
        user = await account_to_change(uow, cmd.user_id)
        previous = user.role
        if previous is role:
            return user
        changed = replace(user, role=role)
        await keep_an_active_admin(uow, user, changed)
        user = changed
        await uow.users.save(user)
        by = actor.id if actor else None
        await uow.outbox.add(
            events.role_changed(user, previous, by, cmd.correlation_id, cmd.operator)
        )
        await uow.commit()
    log.info(
        "user.role_changed",
        user_id=str(user.id),
        role=role.value,
        previous=previous.value,
        changed_by=str(by) if by else None,
        operator=cmd.operator,
    )
    return user
