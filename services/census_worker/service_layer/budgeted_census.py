"""The census as the use case sees it: a lookup in a lane, on whichever host's turn comes first.

Each lookup waits for a turn of the shared politeness budget (`TurnScheduler`), runs on that
host's source, releases the turn at its first request and reports the answer (BLOCKED cools the
host down for every worker).
"""

from __future__ import annotations

from typing import Protocol

from services.census_worker.domain.model import LookupResult
from services.census_worker.domain.turns import Lane
from services.census_worker.service_layer.turn_scheduler import TurnScheduler


class Census(Protocol):
    """What `ValidationService` looks cédulas up with; `name` names the hosts in rotation."""

    name: str

    async def lookup(self, cedula: str, lane: Lane) -> LookupResult: ...


class BudgetedCensus:
    def __init__(self, scheduler: TurnScheduler, name: str) -> None:
        self._scheduler = scheduler
        self.name = name

    async def lookup(self, cedula: str, lane: Lane) -> LookupResult:
        async with self._scheduler.turn(lane) as turn:
            result = await turn.source.lookup(cedula, on_first_request=turn.started)
            await turn.answered(result)
        return result
