"""Credential checks for the web service's login, limited per cédula (growing delays) and per
client address (a window), with the password hash checked while no transaction is open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import structlog

from schemas.envelope import utcnow
from services.common.logging import mask_cedula
from services.registration.domain.commands import VerifyCredentials
from services.registration.domain.errors import (
    AccountDisabled,
    InvalidCredentials,
    InvalidFields,
    Throttled,
)
from services.registration.domain.model import User
from services.registration.domain.throttle import GrowingDelay, Limit, seconds_until_allowed
from services.registration.domain.validators import normalise_cedula
from services.registration.service_layer.ports import Hasher, UnitOfWork

log = structlog.get_logger(__name__)
LOCKED_MESSAGE = "Cédula: demasiados intentos fallidos de ingreso; intente de nuevo más tarde."
ADDRESS_MESSAGE = (
    "Demasiados intentos fallidos de ingreso desde esta conexión; intente de nuevo más tarde."
)


@dataclass(frozen=True)
class LoginLimits:
    per_cedula: GrowingDelay  # one account: slower and slower guesses, never locked for good
    per_address: Limit  # one client: a password tried across many cédulas is stopped


async def verify_credentials(
    cmd: VerifyCredentials,
    uow: UnitOfWork,
    hasher: Hasher,
    limits: LoginLimits,
    clock: Callable[[], datetime] = utcnow,
) -> User:
    """The user, or InvalidCredentials: unknown cédula and wrong password answer alike and take the
    same time (a decoy hash is verified). Throttled while the client address or the cédula must
    wait. AccountDisabled only after the right password: nobody else learns the account is
    disabled. Two short transactions around the hash check, which holds no database connection."""
    cedula, address = _throttle_key(cmd.cedula), cmd.client_address
    async with uow:
        await refuse_if_waiting(uow, limits, cedula, address, clock())
        user = await uow.users.get_by_cedula(cedula)
    stored_hash = user.password_hash if user else None
    if not await hasher.verify(stored_hash, cmd.password):
        async with uow:
            await record_failure(uow, limits, cedula, address, clock())
            await uow.commit()
        log.info("login.failed", cedula=mask_cedula(cedula), known=user is not None)
        raise InvalidCredentials()
    assert user is not None and stored_hash is not None  # verify() is False without a hash
    if user.disabled:
        log.info("login.disabled_account", user_id=str(user.id))
        raise AccountDisabled()
    new_hash = await hasher.hash(cmd.password) if hasher.needs_rehash(stored_hash) else None
    async with uow:
        await uow.throttle.clear(limits.per_cedula, cedula)
        current = await uow.users.get(user.id, for_update=True)
        if new_hash and current is not None and current.password_hash == stored_hash:
            current.password_hash = new_hash
            await uow.users.save(current)
            log.info("login.rehashed", user_id=str(user.id))
        await uow.commit()
    if current is not None and current.disabled:  # disabled while the hash was checked
        raise AccountDisabled()
    return current or user


async def refuse_if_waiting(
    uow: UnitOfWork, limits: LoginLimits, cedula: str, address: str | None, now: datetime
) -> None:
    """Throttled (429, Retry-After) while the client address or the cédula must wait."""
    if address is not None:
        await refuse_if_address_waits(uow, limits, address, now)
    failures = await uow.throttle.recent_hits(limits.per_cedula, cedula, now)
    if (wait_s := limits.per_cedula.seconds_to_wait(failures, now)) is not None:
        log.warning("login.cedula_waits", cedula=mask_cedula(cedula), retry_after_s=wait_s)
        raise Throttled(LOCKED_MESSAGE, wait_s)


async def refuse_if_address_waits(
    uow: UnitOfWork, limits: LoginLimits, address: str, now: datetime
) -> None:
    """Throttled while too many attempts failed from this client address (logins and reset links
    count alike)."""
    hits = await uow.throttle.recent_hits(limits.per_address, address, now)
    if (wait_s := seconds_until_allowed(limits.per_address, hits, now)) is not None:
        log.warning("login.address_throttled", retry_after_s=wait_s)
        raise Throttled(ADDRESS_MESSAGE, wait_s)


async def record_failure(
    uow: UnitOfWork, limits: LoginLimits, cedula: str, address: str | None, now: datetime
) -> None:
    await uow.throttle.record(limits.per_cedula, cedula, now)
    if address is not None:
        await uow.throttle.record(limits.per_address, address, now)


def _throttle_key(raw: str) -> str:
    """The normalised cédula; a malformed one matches no account but takes the same path (without
    NUL characters, which PostgreSQL text cannot hold)."""
    try:
        return normalise_cedula(raw)
    except InvalidFields:
        return (raw or "").replace("\x00", "")[:20]
