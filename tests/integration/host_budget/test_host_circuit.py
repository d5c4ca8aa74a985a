"""The circuit breaker's statements on a real PostgreSQL: counting unclassifiable answers across
workers, opening once with the reply that did it, and a resume that closes only an older opening
and wakes the listeners."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from schemas.census import CensusStatus
from schemas.events import MAX_RAW_RESPONSE_CHARS
from services.census_worker.adapters.host_circuit import HostCircuits
from services.census_worker.adapters.turn_listener import TurnListener
from services.census_worker.domain.model import LookupResult
from services.census_worker.domain.turns import Resumed
from tests.integration.host_budget.conftest import MakeBudget


def changed(n: int) -> LookupResult:
    return LookupResult.unrecognised("wsp", f"unexpected message: NUEVO {n}", f"<p>nuevo {n}</p>")


async def row(budget: MakeBudget, host: str = "wsp") -> dict[str, object]:
    engine = budget("reader").engine
    async with engine.connect() as conn:
        found = await conn.execute(text("SELECT * FROM census_hosts WHERE host = :h"), {"h": host})
        return dict(found.mappings().one())


async def test_unclassifiable_answers_of_several_workers_open_the_circuit_once(
    make_budget: MakeBudget,
) -> None:
    one, other = make_budget("w1", circuit_threshold=3), make_budget("w2", circuit_threshold=3)
    await one.ensure_hosts(["wsp"])

    effects = [await b.answered("wsp", changed(n)) for n, b in enumerate((one, other, one, other))]
    state = await row(make_budget)

    assert [e.circuit_opened for e in effects] == [False, False, True, False]
    assert state["circuit_open_since"] is not None and state["unclassified_in_a_row"] == 4
    assert state["last_raw_answer"] == "<p>nuevo 2</p>"  # the reply that opened it
    assert str(state["circuit_reason"]).startswith("3 unclassifiable answers in a row; the last:")


async def test_a_classified_answer_resets_the_count(make_budget: MakeBudget) -> None:
    budget = make_budget("w1", circuit_threshold=2)
    await budget.ensure_hosts(["wsp"])

    await budget.answered("wsp", changed(1))
    await budget.answered("wsp", LookupResult.failure(CensusStatus.TIMEOUT, "wsp", "timed out"))
    effect = await budget.answered("wsp", changed(2))

    assert not effect.circuit_opened
    assert (await row(make_budget))["unclassified_in_a_row"] == 1


async def test_the_raw_answer_kept_is_clipped(make_budget: MakeBudget) -> None:
    budget = make_budget("w1", circuit_threshold=1)
    await budget.ensure_hosts(["wsp"])

    await budget.answered("wsp", LookupResult.unrecognised("wsp", "huge", "x" * 50_000))

    assert len(str((await row(make_budget))["last_raw_answer"])) == MAX_RAW_RESPONSE_CHARS


async def test_a_resume_closes_the_circuit_and_wakes_every_listener(
    make_budget: MakeBudget, worker_db: str
) -> None:
    budget = make_budget("w1", circuit_threshold=1)
    await budget.ensure_hosts(["wsp"])
    await budget.answered("wsp", changed(1))
    woken: list[str | None] = []
    listener = TurnListener(worker_db, woken.append)
    listener.start()
    try:
        await asyncio.wait_for(listener.ready.wait(), 10)
        circuits = HostCircuits(budget.engine)
        assert await circuits.open_hosts() == {"wsp"}

        outcome = await circuits.resume("wsp", datetime.now(UTC) + timedelta(seconds=1))
        again = await circuits.resume("wsp", datetime.now(UTC) + timedelta(seconds=1))
        for _ in range(50):
            if "wsp" in woken:
                break
            await asyncio.sleep(0.05)
    finally:
        await listener.stop()
    state = await row(make_budget)

    assert (outcome, again) == (Resumed.CLOSED, Resumed.NOT_OPEN)
    assert "wsp" in woken
    assert state["circuit_open_since"] is None and state["unclassified_in_a_row"] == 0
    assert state["last_raw_answer"] is None and state["circuit_reason"] is None
    assert await budget.book("wsp") is not None


async def test_a_resume_sent_before_the_circuit_opened_leaves_it_open(
    make_budget: MakeBudget,
) -> None:
    budget = make_budget("w1", circuit_threshold=1)
    await budget.ensure_hosts(["wsp"])
    sent_at = datetime.now(UTC) - timedelta(minutes=5)  # read late, after a newer opening
    await budget.answered("wsp", changed(1))

    outcome = await HostCircuits(budget.engine).resume("wsp", sent_at)

    assert outcome is Resumed.STALE
    assert (await row(make_budget))["circuit_open_since"] is not None


async def test_a_resume_of_an_unknown_host_changes_nothing(make_budget: MakeBudget) -> None:
    budget = make_budget("w1")
    await budget.ensure_hosts(["wsp"])

    assert await HostCircuits(budget.engine).resume("nuevo", datetime.now(UTC)) is (
        Resumed.UNKNOWN_HOST
    )
