"""The use case's census on the budget: the page is opened before the turn comes and nothing is
sent before it; a turn lost before it came sends nothing and the lookup waits again, in front."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from schemas.census import CensusStatus
from services.census_worker.domain.model import LookupResult
from services.census_worker.domain.turns import Lane
from services.census_worker.lookup.guard import guarded_lookup
from services.census_worker.service_layer.budgeted_census import BudgetedCensus
from services.census_worker.service_layer.turn_scheduler import TurnScheduler
from tests.support.turns import FakeTurnStore

CEDULA = "1102345678"


class RecordingBrowser:
    """Stands for the browser manager: records when a page is opened and closed."""

    def __init__(self, events: list[tuple[str, float]], clock: Any) -> None:
        self.events, self.clock = events, clock

    @asynccontextmanager
    async def page(self) -> AsyncIterator[None]:
        self.events.append(("page opened", self.clock()))
        try:
            yield None
        finally:
            self.events.append(("page closed", self.clock()))


class PagedSource:
    """A census source on the real guard, over the recording browser; its consult's first step
    is the page's GET, the first request to the host."""

    name = "wsp"

    def __init__(self, browser: RecordingBrowser) -> None:
        self.browser = browser

    async def lookup(
        self, cedula: str, on_first_request: Any = None, until_turn: Any = None
    ) -> LookupResult:
        async def consult(_: object, cedula: str) -> LookupResult:
            self.browser.events.append(("first request", self.browser.clock()))
            on_first_request()
            return LookupResult(status=CensusStatus.ACTIVE, source=self.name)

        browser: Any = self.browser
        return await guarded_lookup(self.name, browser, cedula, consult, None, "", until_turn)


def census(store: FakeTurnStore, events: list[tuple[str, float]]) -> BudgetedCensus:
    source = PagedSource(RecordingBrowser(events, store.clock))
    turns = TurnScheduler(
        store, {"wsp": source}, store.interval_s, 1.0, clock=store.clock, sleep=store.clock.sleep
    )
    return BudgetedCensus(turns, "wsp")


async def test_the_page_is_prepared_before_the_turn_comes_and_sent_nothing_before() -> None:
    store = FakeTurnStore(interval_s=5.0)
    events: list[tuple[str, float]] = []
    budgeted = census(store, events)

    await budgeted.lookup(CEDULA, Lane.INTERACTIVE)
    await budgeted.lookup(CEDULA, Lane.INTERACTIVE)
    await budgeted._scheduler.stop()

    assert events[3:] == [("page opened", 0.0), ("first request", 5.0), ("page closed", 5.0)]
    assert [at for _, at, _ in store.turns] == [0.0, 5.0]


async def test_a_turn_lost_before_it_came_closes_its_page_and_waits_for_another() -> None:
    store = FakeTurnStore(interval_s=5.0, lease_s=15.0)
    events: list[tuple[str, float]] = []
    budgeted = census(store, events)
    await budgeted.lookup(CEDULA, Lane.INTERACTIVE)  # the next turn comes at 5.0

    second = asyncio.create_task(budgeted.lookup(CEDULA, Lane.INTERACTIVE))
    while len(events) < 4:
        await asyncio.sleep(0)
    store.rows["wsp"].holder = "a worker that took it over"  # as after our lease ran out
    store.rows["wsp"].lease_until = 7.0
    result = await second
    await budgeted._scheduler.stop()

    assert result.status is CensusStatus.ACTIVE
    assert [name for name, _ in events[3:]] == [
        "page opened",
        "page closed",  # the lost turn's page: nothing was sent from it
        "page opened",
        "first request",
        "page closed",
    ]
    # The other holder may have sent its request up to its lease's end (7.0): an interval later.
    assert [at for _, at, _ in store.turns] == [0.0, 12.0]
