"""The circuit breaker with the fake store on a virtual clock: unclassifiable answers in a row open
a host's circuit, any other answer resets the count, a paused host is neither booked nor waited
for (no re-check loop), and a resume lets the waiting lookups through."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from schemas.census import CensusStatus
from services.census_worker.domain.model import LookupResult
from services.census_worker.domain.turns import HostView, Lane
from services.census_worker.service_layer.open_circuits import OpenCircuits, PausedWhileOpen
from services.census_worker.service_layer.turn_scheduler import IDLE_RECHECK_S, TurnScheduler
from tests.support.fakes import ScriptedSource
from tests.support.turns import FakeTurnStore, Row

CHANGED = LookupResult.unrecognised("wsp", "unexpected message: NUEVO PORTAL", "<p>nuevo</p>")
ACTIVE = LookupResult(CensusStatus.ACTIVE, "wsp")
TIMEOUT = LookupResult.failure(CensusStatus.TIMEOUT, "wsp", "the site's upstream timed out")


class CountingStore(FakeTurnStore):
    views: int = 0

    async def view(self, hosts: Sequence[str]) -> list[HostView]:
        self.views += 1
        return await super().view(hosts)


def scheduler(store: FakeTurnStore, *hosts: str) -> TurnScheduler:
    sources = {host: ScriptedSource() for host in hosts or ("wsp",)}
    return TurnScheduler(
        store, sources, store.interval_s, 1.0, clock=store.clock, sleep=store.clock.sleep
    )


async def answer(turns: TurnScheduler, result: LookupResult) -> tuple[str, bool]:
    async with turns.turn(Lane.BULK) as turn:
        turn.started()
        await turn.answered(result)
    return turn.host, turn.circuit_opened


async def test_the_fifth_unclassifiable_answer_in_a_row_opens_the_circuit_once() -> None:
    store = FakeTurnStore(interval_s=1.0, circuit_threshold=5)
    turns = scheduler(store)

    opened = [(await answer(turns, CHANGED))[1] for _ in range(5)]
    await turns.stop()

    assert opened == [False] * 4 + [True]
    assert store.rows["wsp"].circuit_open and "wsp" in turns.circuits


async def test_any_classified_answer_resets_the_count() -> None:
    store = FakeTurnStore(interval_s=1.0, circuit_threshold=3)
    turns = scheduler(store)

    for result in (CHANGED, CHANGED, TIMEOUT, CHANGED, CHANGED, ACTIVE, CHANGED, CHANGED):
        await answer(turns, result)
    await turns.stop()

    assert not store.rows["wsp"].circuit_open
    assert store.rows["wsp"].unclassified_in_a_row == 2


async def test_a_turn_that_sent_nothing_does_not_count() -> None:
    store = FakeTurnStore(interval_s=1.0, circuit_threshold=1)
    turns = scheduler(store)

    async with turns.turn(Lane.BULK) as turn:
        await turn.answered(CHANGED)  # the lookup failed before its first request
    await turns.stop()

    assert not store.rows["wsp"].circuit_open


async def test_with_every_circuit_open_lookups_wait_without_spinning_until_a_resume() -> None:
    store = CountingStore(interval_s=1.0)
    store.rows = {"wsp": Row(circuit_open=True), "consultacenso": Row(circuit_open=True)}
    turns = scheduler(store, "wsp", "consultacenso")
    waiting = asyncio.create_task(answer(turns, ACTIVE))

    await store.clock.sleep(3 * IDLE_RECHECK_S)
    views_while_paused = store.views
    store.close_circuit("consultacenso")
    turns.wake("consultacenso")  # what the resume's NOTIFY does
    host, _ = await asyncio.wait_for(waiting, 5)
    await turns.stop()

    assert views_while_paused <= 4  # one look, then one per idle re-check: no 50 ms loop
    assert host == "consultacenso"
    assert "wsp" in turns.circuits and "consultacenso" not in turns.circuits


async def test_an_open_host_whose_turn_is_due_does_not_shorten_the_wait_for_another() -> None:
    store = CountingStore(interval_s=1.0, lease_s=10.0)
    # wsp: paused, its turn long due; consultacenso: held by another worker for 10 s more.
    store.rows = {
        "wsp": Row(circuit_open=True),
        "consultacenso": Row(holder="w2", lease_until=10.0),
    }
    turns = scheduler(store, "wsp", "consultacenso")

    host, _ = await asyncio.wait_for(answer(turns, ACTIVE), 5)
    await turns.stop()

    assert host == "consultacenso"
    assert store.turns[0][1] >= 10.0  # taken over an interval after the lease
    assert store.views <= 4


def test_a_paused_hosts_captcha_pool_solves_nothing_ahead() -> None:
    class Steady:
        def took(self) -> None: ...
        def solved(self, seconds: float) -> None: ...
        def target(self, size: int) -> int:
            return size

    circuits = OpenCircuits()
    demand = PausedWhileOpen(Steady(), "wsp", circuits)

    before = demand.target(3)
    circuits.opened("wsp")
    paused = demand.target(3)
    circuits.seen([HostView("wsp", 0.0, circuit_open=False)])

    assert (before, paused, demand.target(3)) == (3, 0, 3)
