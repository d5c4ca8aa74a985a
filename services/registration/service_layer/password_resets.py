"""Password recovery without e-mail: an ADMIN (or the person's own LEADER) makes a one-time link,
the person opens it and sets a new password. An ADMIN's temporary password, to be changed at
the next login, is in `temporary_passwords`. Each is audited by an event; neither token nor hash
ever leaves the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import structlog

from schemas.envelope import utcnow
from schemas.events import Role
from services.registration.domain import events, rbac
from services.registration.domain import validators as v
from services.registration.domain.commands import CompleteReset, IssueResetLink
from services.registration.domain.errors import (
    AccountDeleted,
    AccountDisabled,
    NotPermitted,
    ResetLinkInvalid,
    UserNotFound,
)
from services.registration.domain.model import Actor, Target, User
from services.registration.domain.password_reset import (
    ResetLink,
    hash_token,
    issue_link,
    plausible_token,
)
from services.registration.service_layer.ports import Hasher, UnitOfWork
from services.registration.service_layer.sessions import LoginLimits, refuse_if_address_waits

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class IssuedLink:
    token: str  # shown once, to be sent to the person; never stored nor logged
    link: ResetLink


async def issue_reset_link(
    cmd: IssueResetLink,
    actor: Actor | None,
    uow: UnitOfWork,
    clock: Callable[[], datetime] = utcnow,
) -> IssuedLink:
    """A new link for the user (their earlier unused one stops working). A LEADER asking for
    someone not referred by them is refused as if the user did not exist (NotPermitted).
    `actor` None: an operator on the command line (`cmd.operator` names them)."""
    async with uow:
        user = await uow.users.get(cmd.user_id, for_update=True)
        target = Target(user.id, user.cedula, user.referrer_id) if user else None
        if target is None or (actor and not rbac.can_issue_reset_link(actor, target)):
            if actor is None or actor.role is Role.ADMIN:  # only an ADMIN may learn who exists
                raise UserNotFound()
            raise NotPermitted()
        if user is not None and user.erased:
            raise AccountDeleted()
        by = actor.id if actor else None
        token, link = issue_link(target.id, by, clock())
        await uow.reset_links.add(link)
        await uow.outbox.add(events.reset_issued(link, cmd.correlation_id, cmd.operator))
        await uow.commit()
    log.info(
        "password_reset.issued",
        user_id=str(link.user_id),
        by=str(by) if by else None,
        operator=cmd.operator,
    )
    return IssuedLink(token, link)


async def check_reset_link(
    token: str,
    address: str | None,
    uow: UnitOfWork,
    limits: LoginLimits,
    clock: Callable[[], datetime] = utcnow,
) -> User:
    """The user a usable link is for. ResetLinkInvalid (counted against the address, as a failed
    login) when it is not; AccountDisabled when the account is disabled; Throttled while the
    address must wait."""
    now = clock()
    async with uow:
        if address is not None:
            await refuse_if_address_waits(uow, limits, address, now)
        link = await uow.reset_links.get(hash_token(token)) if plausible_token(token) else None
        user = await uow.users.get(link.user_id) if link and link.usable(now) else None
        if user is None:
            if address is not None:
                await uow.throttle.record(limits.per_address, address, now)
                await uow.commit()
            log.info("password_reset.invalid_link")
            raise ResetLinkInvalid()
    if user.disabled:
        raise AccountDisabled()
    return user


async def complete_reset(
    cmd: CompleteReset,
    uow: UnitOfWork,
    hasher: Hasher,
    limits: LoginLimits,
    clock: Callable[[], datetime] = utcnow,
) -> User:
    """Set the new password and spend the link, in one transaction with PasswordResetCompleted.
    The password rules are those of the sign-up; the hash is made while no transaction is open,
    and the link is checked again under its row lock (two tabs cannot both use it)."""
    user = await check_reset_link(cmd.token, cmd.client_address, uow, limits, clock)
    v.check_password(cmd.new_password, user.cedula, field="new_password")
    new_hash = await hasher.hash(cmd.new_password)
    async with uow:
        link = await uow.reset_links.get(hash_token(cmd.token), for_update=True)
        current = await uow.users.get(user.id, for_update=True)
        now = clock()
        if link is None or not link.usable(now) or current is None:
            raise ResetLinkInvalid()
        if current.disabled:
            raise AccountDisabled()
        current.password_hash, current.must_change_password = new_hash, False
        await uow.users.save(current)
        await uow.reset_links.save(link.used(now))
        await uow.throttle.clear(limits.per_cedula, current.cedula)  # as a successful login does
        await uow.outbox.add(events.reset_completed(link, cmd.correlation_id))
        await uow.commit()
    log.info("password_reset.completed", user_id=str(current.id))
    return current
