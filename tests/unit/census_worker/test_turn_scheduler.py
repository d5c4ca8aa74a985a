"""The turn scheduler with a fake store on a virtual clock: lanes, FIFO, cancellation, rotation
and cooldowns."""

from __future__ import annotations

import asyncio

from schemas.census import CensusStatus
from services.census_worker.domain.model import LookupResult
from services.census_worker.domain.turns import Lane
from services.census_worker.service_layer.turn_scheduler import TurnScheduler
from tests.support.fakes import ScriptedSource
from tests.support.turns import FakeTurnStore, Row


def scheduler(store: FakeTurnStore, *hosts: str) -> TurnScheduler:
    sources = {host: ScriptedSource() for host in hosts or ("wsp",)}
    return TurnScheduler(
        store, sources, store.interval_s, 1.0, clock=store.clock, sleep=store.clock.sleep
    )


async def use_turn(
    turns: TurnScheduler, lane: Lane, name: str, log: list[tuple[str, str, float]]
) -> None:
    async with turns.turn(lane) as turn:
        await turn.comes()
        log.append((name, turn.host, turn.source and round(turns._clock(), 3)))
        turn.started()
        await turn.answered(LookupResult(CensusStatus.ACTIVE, turn.host))


async def test_interactive_lookups_go_first_and_each_lane_keeps_its_order() -> None:
    store = FakeTurnStore(interval_s=5.0)
    turns, log = scheduler(store), []
    lanes = [
        ("b1", Lane.BULK),
        ("b2", Lane.BULK),
        ("i1", Lane.INTERACTIVE),
        ("b3", Lane.BULK),
        ("i2", Lane.INTERACTIVE),
    ]

    await asyncio.gather(*(use_turn(turns, lane, name, log) for name, lane in lanes))
    await turns.stop()

    assert [(name, at) for name, _, at in log] == [
        ("i1", 0.0),
        ("i2", 5.0),
        ("b1", 10.0),
        ("b2", 15.0),
        ("b3", 20.0),
    ]
    assert [lane for _, _, lane in store.turns] == ["INTERACTIVE"] * 2 + ["BULK"] * 3


async def test_a_turn_the_lookup_never_started_is_given_back_unused() -> None:
    store = FakeTurnStore(interval_s=5.0)
    turns, log = scheduler(store), []

    async with turns.turn(Lane.INTERACTIVE):
        pass  # the lookup failed before sending anything
    await use_turn(turns, Lane.INTERACTIVE, "next", log)
    await turns.stop()

    assert store.given_back == ["wsp"]
    assert log == [("next", "wsp", 0.0)]  # no interval spent on the unused turn


async def test_a_cancelled_waiter_leaves_no_booked_turn_behind() -> None:
    store = FakeTurnStore(interval_s=5.0)
    turns, log = scheduler(store), []
    first = asyncio.create_task(use_turn(turns, Lane.INTERACTIVE, "first", log))
    gone = asyncio.create_task(use_turn(turns, Lane.INTERACTIVE, "gone", log))
    while not log:
        await asyncio.sleep(0)
    gone.cancel()
    await first

    await use_turn(turns, Lane.BULK, "later", log)
    await turns.stop()

    assert [name for name, _, _ in log] == ["first", "later"]
    assert store.rows["wsp"].holder is None
    assert gone.cancelled()


async def test_a_waiter_cancelled_as_its_turn_is_granted_gives_it_back() -> None:
    store = FakeTurnStore(interval_s=5.0)
    turns = scheduler(store)
    waiter = asyncio.create_task(use_turn(turns, Lane.INTERACTIVE, "late", []))
    while not turns._busy:
        await asyncio.sleep(0)
    waiter.cancel()
    await asyncio.gather(waiter, return_exceptions=True)
    for _ in range(10):
        await asyncio.sleep(0)
    await turns.stop()

    assert store.given_back == ["wsp"] and store.rows["wsp"].holder is None
    assert store.turns == []


async def test_a_lookup_goes_to_the_host_whose_turn_comes_first() -> None:
    store = FakeTurnStore(interval_s=5.0)
    store.rows = {"wsp": Row(next_turn_at=3.0), "consultacenso": Row()}
    turns, log = scheduler(store, "wsp", "consultacenso"), []

    await use_turn(turns, Lane.INTERACTIVE, "first", log)
    await asyncio.gather(*(use_turn(turns, Lane.INTERACTIVE, n, log) for n in ("a", "b")))
    await turns.stop()

    assert log == [("first", "consultacenso", 0.0), ("a", "wsp", 3.0), ("b", "consultacenso", 5.0)]


async def test_ties_go_to_the_preferred_host() -> None:
    store = FakeTurnStore(interval_s=5.0)
    turns, log = scheduler(store, "consultacenso", "wsp"), []

    await use_turn(turns, Lane.INTERACTIVE, "first", log)
    await turns.stop()

    assert log == [("first", "consultacenso", 0.0)]


async def test_a_host_in_a_long_cooldown_is_skipped_while_another_has_turns() -> None:
    store = FakeTurnStore(interval_s=5.0)
    store.rows = {"wsp": Row(cooldown_until=30.0), "consultacenso": Row()}
    turns, log = scheduler(store, "wsp", "consultacenso"), []

    await asyncio.gather(*(use_turn(turns, Lane.INTERACTIVE, n, log) for n in ("a", "b", "c")))
    await turns.stop()

    assert [(host, at) for _, host, at in log] == [
        ("consultacenso", 0.0),
        ("consultacenso", 5.0),
        ("consultacenso", 10.0),
    ]


async def test_a_blocked_answer_cools_the_host_down_for_the_next_turns() -> None:
    store = FakeTurnStore(interval_s=1.0, cooldown_base_s=30.0)
    turns, log = scheduler(store), []

    async with turns.turn(Lane.INTERACTIVE) as turn:
        turn.started()
        await turn.answered(LookupResult.failure(CensusStatus.BLOCKED, turn.host, "firewall"))
    await use_turn(turns, Lane.INTERACTIVE, "after", log)
    await turns.stop()

    assert turn.cooldown_s == 30.0
    assert log == [("after", "wsp", 30.0)]


async def test_a_turn_is_granted_when_booked_and_comes_at_its_start() -> None:
    store = FakeTurnStore(interval_s=5.0)
    turns, events = scheduler(store), []

    async def lookup(name: str) -> None:
        async with turns.turn(Lane.INTERACTIVE) as turn:
            events.append((name, "granted", turns._clock()))  # the page is prepared from here
            await turn.comes()
            events.append((name, "came", turns._clock()))
            turn.started()
            await turn.answered(LookupResult(CensusStatus.ACTIVE, turn.host))

    await asyncio.gather(lookup("first"), lookup("second"))
    await turns.stop()

    assert events == [
        ("first", "granted", 0.0),
        ("first", "came", 0.0),
        ("second", "granted", 0.0),  # booked as soon as the first turn was used
        ("second", "came", 5.0),
    ]


async def test_the_time_spent_preparing_the_page_does_not_delay_the_turn() -> None:
    store = FakeTurnStore(interval_s=5.0)
    store.rows = {"wsp": Row(next_turn_at=5.0)}
    turns = scheduler(store)

    async with turns.turn(Lane.INTERACTIVE) as turn:
        await store.clock.sleep(0.3)  # the context and page being opened
        await turn.comes()
        came_at = turns._clock()
    await turns.stop()

    assert came_at == 5.0


async def test_a_process_with_two_waiters_keeps_a_booking_at_each_host() -> None:
    store = FakeTurnStore(interval_s=5.0)
    store.rows = {"wsp": Row(next_turn_at=2.0), "consultacenso": Row(next_turn_at=3.0)}
    turns, log = scheduler(store, "wsp", "consultacenso"), []
    granted: list[tuple[str, float]] = []

    async def lookup(name: str) -> None:
        async with turns.turn(Lane.BULK) as turn:
            granted.append((turn.host, turns._clock()))
            await turn.comes()
            log.append((name, turn.host, turns._clock()))
            turn.started()
            await turn.answered(LookupResult(CensusStatus.ACTIVE, turn.host))

    await asyncio.gather(lookup("a"), lookup("b"))
    await turns.stop()

    assert sorted(granted) == [("consultacenso", 0.0), ("wsp", 0.0)]
    assert log == [("a", "wsp", 2.0), ("b", "consultacenso", 3.0)]


async def test_a_process_with_only_bulk_waiting_lets_one_with_a_sign_up_book_first() -> None:
    shared = FakeTurnStore(interval_s=5.0, worker="bulk-only")
    shared.rows = {"wsp": Row(next_turn_at=5.0)}
    other = FakeTurnStore(clock=shared.clock, interval_s=5.0, worker="sign-up", rows=shared.rows)
    bulk_only = TurnScheduler(
        shared,
        {"wsp": ScriptedSource()},
        5.0,
        1.0,
        clock=shared.clock,
        sleep=shared.clock.sleep,
        bulk_yield_s=0.1,
    )
    with_sign_up = TurnScheduler(
        other,
        {"wsp": ScriptedSource()},
        5.0,
        1.0,
        clock=shared.clock,
        sleep=shared.clock.sleep,
        bulk_yield_s=0.1,
    )
    log: list[tuple[str, str, float]] = []

    async def sign_up() -> None:
        await use_turn(with_sign_up, Lane.INTERACTIVE, "sign-up", log)
        bulk_only.wake()  # what the release's NOTIFY does between processes

    await asyncio.gather(use_turn(bulk_only, Lane.BULK, "bulk", log), sign_up())
    await bulk_only.stop()
    await with_sign_up.stop()

    assert [(name, at) for name, _, at in log] == [("sign-up", 5.0), ("bulk", 10.0)]
