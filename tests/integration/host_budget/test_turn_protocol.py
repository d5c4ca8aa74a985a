"""The turn protocol on a real PostgreSQL: one booking per host at a time, the next turn measured
from the release, takeover after the lease, cooldowns shared through the row."""

from __future__ import annotations

import asyncio

import pytest

from schemas.census import CensusStatus
from services.census_worker.adapters.host_budget import CHANNEL
from services.census_worker.adapters.turn_listener import TurnListener
from services.census_worker.domain.model import LookupResult
from services.census_worker.domain.turns import Lane
from tests.integration.host_budget.conftest import MakeBudget

BLOCKED = LookupResult.failure(CensusStatus.BLOCKED, "wsp", "firewall page")


def answer(status: CensusStatus) -> LookupResult:
    return LookupResult(status, "wsp")


async def test_only_one_of_several_workers_books_a_hosts_turn(make_budget: MakeBudget) -> None:
    budgets = [make_budget(f"w{i}") for i in range(3)]
    await budgets[0].ensure_hosts(["wsp"])

    bookings = await asyncio.gather(*(b.book("wsp") for b in budgets))

    assert sum(booking is not None for booking in bookings) == 1
    booked = next(b for b in bookings if b is not None)
    assert booked.start_in_s == pytest.approx(0, abs=0.05)
    assert booked.lease_left_s == pytest.approx(15, abs=0.1)


async def test_the_next_turn_is_measured_from_the_release(make_budget: MakeBudget) -> None:
    first, second = make_budget("w1", interval_s=2.0, guard_s=0.5), make_budget("w2")
    await first.ensure_hosts(["wsp"])
    await first.book("wsp")

    assert await first.release("wsp", Lane.INTERACTIVE, used=True) is True
    booking = await second.book("wsp")

    assert booking is not None and booking.start_in_s == pytest.approx(2.5, abs=0.1)
    assert booking.lease_left_s == pytest.approx(2.5 + 15, abs=0.1)


async def test_an_unused_turn_leaves_the_next_turn_where_it_was(make_budget: MakeBudget) -> None:
    first, second = make_budget("w1"), make_budget("w2")
    await first.ensure_hosts(["wsp"])
    await first.book("wsp")

    await first.release("wsp", Lane.BULK, used=False)
    booking = await second.book("wsp")

    assert booking is not None and booking.start_in_s == pytest.approx(0, abs=0.05)


async def test_a_turn_whose_lease_ran_out_is_taken_over_an_interval_after_it(
    make_budget: MakeBudget,
) -> None:
    dead, alive = make_budget("dead", lease_s=0.3), make_budget("alive", interval_s=1.0)
    await dead.ensure_hosts(["wsp"])
    assert await dead.book("wsp") is not None
    assert await alive.book("wsp") is None

    await asyncio.sleep(0.4)
    booking = await alive.book("wsp")

    assert booking is not None and booking.took_over
    # The dead holder may have sent a request up to its lease end, 0.1 s ago.
    assert booking.start_in_s == pytest.approx(0.9, abs=0.08)
    assert await dead.release("wsp", Lane.INTERACTIVE, used=True) is False


async def test_blocked_answers_grow_a_shared_cooldown_and_a_real_answer_resets_it(
    make_budget: MakeBudget,
) -> None:
    rules = {"interval_s": 0.0, "cooldown_base_s": 10.0, "cooldown_max_s": 25.0}
    one, other = make_budget("w1", **rules), make_budget("w2", **rules)
    await one.ensure_hosts(["wsp"])

    cooldowns = [(await b.answered("wsp", BLOCKED)).cooldown_s for b in (one, other, one)]
    view = (await other.view(["wsp"]))[0]
    await one.answered("wsp", answer(CensusStatus.TIMEOUT))
    after_timeout = (await one.answered("wsp", BLOCKED)).cooldown_s
    await one.answered("wsp", answer(CensusStatus.ACTIVE))
    after_answer = (await other.answered("wsp", BLOCKED)).cooldown_s

    assert cooldowns == [10.0, 20.0, 25.0]
    assert view.start_in_s == pytest.approx(25.0, abs=0.1)
    assert (after_timeout, after_answer) == (25.0, 10.0)
    booking = await other.book("wsp")
    assert booking is not None and booking.start_in_s == pytest.approx(10.0, abs=0.1)


async def test_confirm_sees_a_cooldown_that_started_after_booking(make_budget: MakeBudget) -> None:
    holder, other = make_budget("w1", cooldown_base_s=5.0), make_budget("w2", cooldown_base_s=5.0)
    await holder.ensure_hosts(["wsp"])
    await holder.book("wsp")

    await other.answered("wsp", BLOCKED)
    confirmed = await holder.confirm("wsp")

    assert confirmed is not None and confirmed.start_in_s == pytest.approx(5.0, abs=0.1)
    assert await other.confirm("wsp") is None


async def test_a_host_whose_circuit_is_open_is_never_booked(make_budget: MakeBudget) -> None:
    budget = make_budget("w1", circuit_threshold=1)
    await budget.ensure_hosts(["wsp", "consultacenso"])
    await budget.answered("wsp", LookupResult.unrecognised("wsp", "unexpected message", "<p>"))

    views = {v.host: v for v in await budget.view(["wsp", "consultacenso"])}

    assert views["wsp"].circuit_open and not views["consultacenso"].circuit_open
    assert await budget.book("wsp") is None
    assert await budget.book("consultacenso") is not None


async def test_a_release_wakes_the_listeners_of_other_processes(
    make_budget: MakeBudget, worker_db: str
) -> None:
    woken: list[str | None] = []
    listener = TurnListener(worker_db, woken.append)
    listener.start()
    try:
        await asyncio.wait_for(listener.ready.wait(), 10)
        budget = make_budget("w1")
        await budget.ensure_hosts(["consultacenso"])
        await budget.book("consultacenso")
        await budget.release("consultacenso", Lane.INTERACTIVE, used=True)
        async with asyncio.timeout(5):
            while "consultacenso" not in woken:
                await asyncio.sleep(0.02)
    finally:
        await listener.stop()
    assert woken[0] is None  # the first wake-up: (re)connected, anything may have changed
    assert CHANNEL == "census_host_turns"
