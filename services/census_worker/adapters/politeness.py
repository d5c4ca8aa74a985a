"""Waiting for a turn at the census host: one throttle per host, shared by the worker's tasks,
applying the rules of `domain.politeness` with a real clock and sleep."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import structlog

from schemas.census import CensusStatus
from services.census_worker.domain.model import CensusSource, LookupResult
from services.census_worker.domain.politeness import HostPoliteness

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
        self._rules = HostPoliteness(min_interval_s, cooldown_base_s, cooldown_max_s)
        self._clock, self._sleep = clock, sleep
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            wait = self._rules.wait_s(self._clock())
            if wait > 0:
                await self._sleep(wait)
            self._rules.started(self._clock())

    def report(self, status: CensusStatus) -> None:
        cooldown = self._rules.answered(status, self._clock())
        if cooldown is not None:
            log.warning(
                "census.host_cooldown",
                seconds=cooldown,
                blocked_in_a_row=self._rules.blocked_in_a_row,
            )

    @property
    def cooldown_remaining_s(self) -> float:
        return self._rules.cooldown_remaining_s(self._clock())


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
