"""Filing a claim for a taken cédula from the public form, limited per client address and per
cédula (a claim costs an ADMIN's time, and must not become a way to pester an account's holder).
The answer never says who holds the cédula. Deciding claims is in `claim_decisions`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

import structlog

from schemas.envelope import utcnow
from services.common.logging import mask_cedula
from services.registration.domain import events
from services.registration.domain.claims import Claim
from services.registration.domain.commands import FileClaim
from services.registration.domain.errors import InvalidFields, Throttled
from services.registration.domain.forms import validate_claim
from services.registration.domain.throttle import Limit, seconds_until_allowed
from services.registration.service_layer.ports import UnitOfWork

log = structlog.get_logger(__name__)
ADDRESS_MESSAGE = "Demasiados reclamos desde esta conexión; intente de nuevo más tarde."
CEDULA_MESSAGE = (
    "Ya recibimos varios reclamos por esta cédula y la campaña los está revisando; "
    "intente de nuevo más tarde."
)
NOT_REGISTERED = (
    "no hay ninguna cuenta registrada con esta cédula: puede crear la suya en «Crear cuenta»."
)


@dataclass(frozen=True)
class ClaimLimits:
    per_address: Limit  # claims (and attempts) one client address may file
    per_cedula: Limit  # claims about one cédula, whoever files them


async def file_claim(
    cmd: FileClaim, uow: UnitOfWork, limits: ClaimLimits, clock: Callable[[], datetime] = utcnow
) -> Claim:
    """The claim, stored with its CedulaClaimFiled event. Every attempt from an address counts,
    a cédula without an account too (InvalidFields on `cedula`); Throttled past either limit."""
    form = validate_claim(cmd)
    now = clock()
    async with uow:
        if cmd.client_address is not None:
            await _count(uow, limits.per_address, cmd.client_address, now, ADDRESS_MESSAGE)
        holder = await uow.users.get_by_cedula(form.cedula)
        if holder is None:
            await uow.commit()  # the attempt stays counted
            raise InvalidFields.one("cedula", NOT_REGISTERED)
        await _count(uow, limits.per_cedula, form.cedula, now, CEDULA_MESSAGE)
        claim = Claim(
            id=uuid4(),
            user_id=holder.id,
            cedula=form.cedula,
            nombre=form.nombre,
            telefono=form.telefono,
            mensaje=form.mensaje,
            filed_at=now,
        )
        await uow.claims.add(claim)
        await uow.outbox.add(events.claim_filed(claim, cmd.correlation_id))
        await uow.commit()
    log.info("claim.filed", claim_id=str(claim.id), cedula=mask_cedula(claim.cedula))
    return claim


async def _count(uow: UnitOfWork, limit: Limit, subject: str, now: datetime, why: str) -> None:
    """Throttled when `subject` is past `limit`; else one more hit is recorded."""
    hits = await uow.throttle.recent_hits(limit, subject, now)
    if (wait_s := seconds_until_allowed(limit, hits, now)) is not None:
        log.warning("claim.throttled", scope=limit.scope, retry_after_s=wait_s)
        raise Throttled(why, wait_s)
    await uow.throttle.record(limit, subject, now)
