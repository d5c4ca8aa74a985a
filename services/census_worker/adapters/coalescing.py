"""One lookup per cédula at a time in this process: a request for a cédula already in flight
shares that lookup instead of asking the site again.

Answers given earlier are not remembered here: the answers kept for the whole deployment
(`service_layer.fresh_answers`) stand in for a lookup when they are fresh enough.
"""

from __future__ import annotations

import asyncio

from services.census_worker.domain.model import LookupResult
from services.census_worker.domain.turns import Lane
from services.census_worker.service_layer.budgeted_census import Census


class CoalescingSource:
    def __init__(self, source: Census) -> None:
        self._source = source
        self._in_flight: dict[str, asyncio.Future[LookupResult]] = {}
        self.name = source.name

    async def lookup(self, cedula: str, lane: Lane = Lane.INTERACTIVE) -> LookupResult:
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


def _being_cancelled() -> bool:
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0
