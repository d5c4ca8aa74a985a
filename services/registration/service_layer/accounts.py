"""Creating accounts, and the changes their owners make to them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID, uuid4

import structlog

from schemas.envelope import utcnow
from schemas.events import CENSUS_LOOKUP_HEADER, DEFERRED_LOOKUP, ValidationReason
from services.common.logging import mask_cedula
from services.registration.domain import events, rbac
from services.registration.domain import validators as v
from services.registration.domain.commands import ChangePassword, RegisterUser, UpdateProfile
from services.registration.domain.errors import (
    CedulaAlreadyRegistered,
    InvalidFields,
    NotPermitted,
    Throttled,
    UserNotFound,
)
from services.registration.domain.forms import validate_profile_changes, validate_registration
from services.registration.domain.model import DEFAULT_REFERRAL_GOAL, Actor, Target, User
from services.registration.domain.referral_codes import new_referral_code, parse_referral_code
from services.registration.service_layer.ports import Hasher, UnitOfWork
from services.registration.service_layer.sessions import LoginLimits
from services.registration.service_layer.sign_up_limits import SignUpLimits, admit_sign_up

log = structlog.get_logger(__name__)
MAX_CODE_ATTEMPTS = 5
PASSWORD_LOCKED_MESSAGE = (
    "Contraseña actual: demasiados intentos fallidos; intente de nuevo más tarde."
)


async def register_user(
    cmd: RegisterUser,
    uow: UnitOfWork,
    hasher: Hasher,
    clock: Callable[[], datetime] = utcnow,
    limits: SignUpLimits | None = None,
) -> User:
    """Validate, hash, then write the account and its UserRegistered event in one transaction.
    `limits` (the public sign-up, not an admin's command): too many sign-ups from one address are
    refused, and some have their first lookup on the bulk lane (`sign_up_limits`)."""
    form = validate_registration(cmd)
    password_hash = await hasher.hash(cmd.password)
    async with uow:
        if await uow.users.cedula_taken(form.cedula):
            raise CedulaAlreadyRegistered(form.cedula)
        deferred = (
            await admit_sign_up(uow, limits, cmd.client_address, clock()) if limits else False
        )
        code = parse_referral_code(cmd.referral_code)
        now = clock()
        user = User(
            id=uuid4(),
            cedula=form.cedula,
            nombre=form.nombre,
            telefono=form.telefono,
            password_hash=password_hash,
            referral_code=await _unused_referral_code(uow),
            referral_goal=DEFAULT_REFERRAL_GOAL,
            role=cmd.role,
            referrer_id=await uow.users.id_for_referral_code(code) if code else None,
            registered_at=now,
            data_policy_accepted_at=now,
        )
        await uow.users.add(user)
        if deferred:
            await uow.outbox.add(
                events.registered(user, cmd.correlation_id),
                headers={CENSUS_LOOKUP_HEADER: DEFERRED_LOOKUP},
            )
            target = Target(user.id, user.cedula, user.referrer_id)
            first_lookup = events.validation_requested(
                target, ValidationReason.BULK_REFRESH, user.id, cmd.correlation_id
            )
            await uow.outbox.add(first_lookup)
        else:
            await uow.outbox.add(events.registered(user, cmd.correlation_id))
        await uow.commit()
    log.info(
        "user.registered",
        user_id=str(user.id),
        cedula=mask_cedula(user.cedula),
        referred=user.referrer_id is not None,
        lookup="bulk lane" if deferred else "now",
        role=user.role.value,
    )
    return user


async def _unused_referral_code(uow: UnitOfWork) -> str:
    for _ in range(MAX_CODE_ATTEMPTS):
        code = new_referral_code()
        if await uow.users.id_for_referral_code(code) is None:
            return code
    raise RuntimeError("no unused referral code found; the code space is nearly exhausted")


async def update_profile(cmd: UpdateProfile, actor: Actor, uow: UnitOfWork) -> User:
    """Change nombre, teléfono and/or referral goal; emits UserProfileUpdated on a change."""
    if not rbac.can_edit_account(actor, cmd.user_id):
        raise NotPermitted()
    changes = validate_profile_changes(cmd)
    async with uow:
        user = await _locked_user(uow, cmd.user_id)
        if all(getattr(user, name) == value for name, value in changes.items()):
            return user
        for name, value in changes.items():
            setattr(user, name, value)
        await uow.users.save(user)
        await uow.outbox.add(events.profile_updated(user, cmd.correlation_id))
        await uow.commit()
    log.info("user.profile_updated", user_id=str(user.id), fields=sorted(changes))
    return user


async def change_password(
    cmd: ChangePassword,
    actor: Actor,
    uow: UnitOfWork,
    hasher: Hasher,
    limits: LoginLimits,
    clock: Callable[[], datetime] = utcnow,
) -> None:
    """Needs the current password; no event, since passwords never leave the service. A wrong
    current password counts as a failed login (else this form would be a way to guess it). The
    hashes are checked and made while no transaction is open."""
    if not rbac.can_edit_account(actor, cmd.user_id):
        raise NotPermitted()
    async with uow:
        user = await uow.users.get(cmd.user_id)
        if user is None:
            raise UserNotFound()
        failures = await uow.throttle.recent_hits(limits.per_cedula, user.cedula, clock())
        if (wait_s := limits.per_cedula.seconds_to_wait(failures, clock())) is not None:
            raise Throttled(PASSWORD_LOCKED_MESSAGE, wait_s)
    if not await hasher.verify(user.password_hash, cmd.current_password):
        async with uow:
            await uow.throttle.record(limits.per_cedula, user.cedula, clock())
            await uow.commit()
        raise InvalidFields.one("current_password", "no es correcta.")
    v.check_password(cmd.new_password, user.cedula, field="new_password")
    new_hash = await hasher.hash(cmd.new_password)
    async with uow:
        current = await _locked_user(uow, cmd.user_id)
        if current.password_hash != user.password_hash:  # changed meanwhile: ask again
            raise InvalidFields.one("current_password", "cambió mientras tanto; intente de nuevo.")
        current.password_hash = new_hash
        current.must_change_password = False  # an ADMIN's temporary password is now replaced
        await uow.users.save(current)
        await uow.throttle.clear(limits.per_cedula, user.cedula)  # as a successful login does
        await uow.commit()
    log.info("user.password_changed", user_id=str(user.id))


async def _locked_user(uow: UnitOfWork, user_id: UUID) -> User:
    """Lock the row first so this user's events get outbox ids in commit order."""
    user = await uow.users.get(user_id, for_update=True)
    if user is None:
        raise UserNotFound()
    return user
