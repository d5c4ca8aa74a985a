"""Credential checks for the web service's login, with a per-cédula lockout."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import structlog

from schemas.envelope import utcnow
from services.common.logging import mask_cedula
from services.registration.domain.commands import VerifyCredentials
from services.registration.domain.errors import InvalidCredentials, InvalidFields, Throttled
from services.registration.domain.model import User
from services.registration.domain.throttle import Limit, seconds_until_allowed
from services.registration.domain.validators import normalise_cedula
from services.registration.service_layer.ports import Hasher, UnitOfWork

log = structlog.get_logger(__name__)
LOCKED_MESSAGE = "Cédula: demasiados intentos fallidos de ingreso; intente de nuevo más tarde."


async def verify_credentials(
    cmd: VerifyCredentials,
    uow: UnitOfWork,
    hasher: Hasher,
    limit: Limit,
    clock: Callable[[], datetime] = utcnow,
) -> User:
    """The user, or InvalidCredentials: unknown cédula and wrong password answer alike and take the
    same time (a decoy hash is verified). Throttled once the cédula has too many recent failures."""
    cedula = _throttle_key(cmd.cedula)
    async with uow:
        now = clock()
        wait_s = seconds_until_allowed(
            limit, await uow.throttle.recent_hits(limit, cedula, now), now
        )
        if wait_s is not None:
            log.warning("login.locked", cedula=mask_cedula(cedula), retry_after_s=wait_s)
            raise Throttled(LOCKED_MESSAGE, wait_s)
        user = await uow.users.get_by_cedula(cedula)
        if not await hasher.verify(user.password_hash if user else None, cmd.password):
            await uow.throttle.record(limit, cedula, now)
            await uow.commit()
            log.info("login.failed", cedula=mask_cedula(cedula), known=user is not None)
            raise InvalidCredentials()
        assert user is not None  # verify() is False without a hash
        await uow.throttle.clear(limit, cedula)
        if hasher.needs_rehash(user.password_hash):
            user.password_hash = await hasher.hash(cmd.password)
            await uow.users.save(user)
            log.info("login.rehashed", user_id=str(user.id))
        await uow.commit()
    return user


def _throttle_key(raw: str) -> str:
    """The normalised cédula; a malformed one matches no account but takes the same path (without
    NUL characters, which PostgreSQL text cannot hold)."""
    try:
        return normalise_cedula(raw)
    except InvalidFields:
        return (raw or "").replace("\x00", "")[:20]
