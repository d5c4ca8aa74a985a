"""One lookup per cédula at a time: a request for a cédula already in flight shares that lookup,
and one answered (finally) less than `window_s` ago reuses the answer instead of asking again.

Failures are never reused: a retry must really ask the site again.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable

from services.census_worker.domain.model import LookupResult
from services.census_worker.domain.turns import Lane
from services.census_worker.service_layer.budgeted_census import Census

MAX_REMEMBERED = 50_000


class CoalescingSource:
    def __init__(
        self, source: Census, window_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._source = source
        self._window_s = window_s
        self._clock = clock
        self._in_flight: dict[str, asyncio.Future[LookupResult]] = {}
        self._recent: OrderedDict[str, tuple[float, LookupResult]] = OrderedDict()
        self.name = source.name

    async def lookup(self, cedula: str, lane: Lane = Lane.INTERACTIVE) -> LookupResult:
        if (recent := self._recent_answer(cedula)) is not None:
            return recent
        if (pending := self._in_flight.get(cedula)) is not None:
            return await self._share(cedula, pending, lane)
        future: asyncio.Future[LookupResult] = asyncio.get_running_loop().create_future()
        self._in_flight[cedula] = future
        try:
            result = await self._source.lookup(cedula, lane)
        except BaseException:
            future.cancel()  # the owner was cancelled: waiters look the cédula up themselves
            raise
        finally:
            del self._in_flight[cedula]
        future.set_result(result)
        self._remember(cedula, result)
        return result

    async def _share(
        self, cedula: str, pending: asyncio.Future[LookupResult], lane: Lane
    ) -> LookupResult:
        try:
            return await asyncio.shield(pending)
        except asyncio.CancelledError:
            if pending.cancelled() and not _being_cancelled():
                return await self.lookup(cedula, lane)
            raise

    def _recent_answer(self, cedula: str) -> LookupResult | None:
        entry = self._recent.get(cedula)
        if entry is None:
            return None
        answered_at, result = entry
        if self._clock() - answered_at > self._window_s:
            del self._recent[cedula]
            return None
        return result

    def _remember(self, cedula: str, result: LookupResult) -> None:
        if self._window_s <= 0 or not result.status.is_final:
            return
        self._recent[cedula] = (self._clock(), result)
        self._recent.move_to_end(cedula)
        while len(self._recent) > MAX_REMEMBERED:
            self._recent.popitem(last=False)


def _being_cancelled() -> bool:
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0
