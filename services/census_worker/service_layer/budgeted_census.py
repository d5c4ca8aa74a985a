"""The census as the use case sees it: a lookup in a lane, on whichever host's turn comes first.

Each lookup waits for a turn of the shared politeness budget (`TurnScheduler`), runs on that
host's source (which prepares its page while the turn comes, and takes pooled captcha tokens as
its lane may), releases the turn at its first request and reports the answer (BLOCKED cools the
host down for every worker). A turn lost before it came sends nothing: the lookup waits again,
first in its lane.
"""

from __future__ import annotations

from typing import Protocol

from services.census_worker.domain.model import LookupResult
from services.census_worker.domain.turns import Lane, TurnLost
from services.census_worker.lookup.captcha.pooled import tokens_for
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
        with tokens_for(lane):
            return await self._lookup(cedula, lane)

    async def _lookup(self, cedula: str, lane: Lane) -> LookupResult:
        lost = False
        while True:
            async with self._scheduler.turn(lane, ahead=lost) as turn:
                try:
                    result = await turn.source.lookup(cedula, turn.started, turn.comes)
                except TurnLost:
                    lost = True
                    continue
                await turn.answered(result)
            return result
