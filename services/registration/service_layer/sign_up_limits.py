"""How many sign-ups one client address may make, and which sign-ups have their first census
lookup now: each lookup is a paid captcha and a turn of the census host's budget, and `/registro`
is the cheapest way to spend them. Past a few sign-ups from one address in an hour, or past a
campaign-wide rate, the account is still created but its lookup waits in the bulk lane."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import structlog

from services.registration.domain.errors import Throttled
from services.registration.domain.throttle import Limit, seconds_until_allowed
from services.registration.service_layer.ports import UnitOfWork

log = structlog.get_logger(__name__)
SIGN_UP_MESSAGE = "Demasiados registros desde esta conexión; intente de nuevo más tarde."
EVERYONE = "all"


@dataclass(frozen=True)
class SignUpLimits:
    per_address: Limit  # sign-ups one address may make at all
    interactive_per_address: int  # of those, how many get their lookup right away
    interactive_everyone: Limit  # sign-ups per window, campaign-wide, looked up right away


async def admit_sign_up(
    uow: UnitOfWork, limits: SignUpLimits, address: str | None, now: datetime
) -> bool:
    """Throttled when the address has signed up too often; else whether the new account's first
    lookup must wait in the bulk lane (True) rather than go ahead of it. A sign-up without an
    address (a caller of the API itself, holding the service token) is not limited."""
    if address is None:
        return False
    hits = await uow.throttle.recent_hits(limits.per_address, address, now)
    if (wait_s := seconds_until_allowed(limits.per_address, hits, now)) is not None:
        log.warning("sign_up.address_throttled", retry_after_s=wait_s)
        raise Throttled(SIGN_UP_MESSAGE, wait_s)
    await uow.throttle.record(limits.per_address, address, now)
    deferred = len(hits) >= limits.interactive_per_address
    if not deferred:
        everyone = limits.interactive_everyone
        recent = await uow.throttle.recent_hits(everyone, EVERYONE, now, lock=False)
        deferred = seconds_until_allowed(everyone, recent, now) is not None
        if not deferred:
            await uow.throttle.record(everyone, EVERYONE, now)
    return deferred
