"""Politeness towards the census site: a minimum interval between lookups, and a cooldown that
grows while the site answers BLOCKED (firewall page, captcha refused), reset by a real answer."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import structlog

from schemas.census import CensusStatus
from services.census_worker.domain.model import CensusSource, LookupResult

log = structlog.get_logger(__name__)


class HostThrottle:
    """One per census host. Callers queue on a lock, so the interval holds across workers' tasks."""

    def __init__(
        self,
        min_interval_s: float,
        cooldown_base_s: float,
        cooldown_max_s: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._min_interval_s = min_interval_s
        self._cooldown_base_s = cooldown_base_s
        self._cooldown_max_s = cooldown_max_s
        self._clock, self._sleep = clock, sleep
        self._lock = asyncio.Lock()
        self._next_at = 0.0
        self._cooldown_until = 0.0
        self._blocked_in_a_row = 0

    async def acquire(self) -> None:
        async with self._lock:
            wait = max(self._next_at, self._cooldown_until) - self._clock()
            if wait > 0:
                await self._sleep(wait)
            self._next_at = self._clock() + self._min_interval_s

    def report(self, status: CensusStatus) -> None:
        if status is CensusStatus.BLOCKED:
            cooldown = min(self._cooldown_base_s * 2**self._blocked_in_a_row, self._cooldown_max_s)
            self._blocked_in_a_row += 1
            self._cooldown_until = self._clock() + cooldown
            log.warning(
                "census.host_cooldown", seconds=cooldown, blocked_in_a_row=self._blocked_in_a_row
            )
        elif status.is_final:
            self._blocked_in_a_row = 0

    @property
    def cooldown_remaining_s(self) -> float:
        return max(self._cooldown_until - self._clock(), 0.0)


class PoliteSource:
    """A census source that waits its turn at the host before every lookup."""

    def __init__(self, source: CensusSource, throttle: HostThrottle) -> None:
        self._source = source
        self._throttle = throttle
        self.name = source.name

    async def lookup(self, cedula: str) -> LookupResult:
        await self._throttle.acquire()
        result = await self._source.lookup(cedula)
        self._throttle.report(result.status)
        return result
