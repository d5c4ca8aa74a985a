"""The capacity report's statements on a real PostgreSQL: one claim per interval across workers,
the hosts with their recent turns and circuit, the captcha usage summed over workers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from services.census_worker.adapters.capacity_store import PostgresCapacity
from services.census_worker.domain.model import LookupResult
from services.census_worker.domain.turns import Lane
from services.census_worker.service_layer.capacity_report import CaptchaUsage
from tests.integration.host_budget.conftest import MakeBudget


async def test_only_one_worker_reports_per_interval(make_budget: MakeBudget) -> None:
    stores = [PostgresCapacity(make_budget(f"w{i}").engine, f"w{i}") for i in range(3)]

    first = await asyncio.gather(*(s.claim_report(0.5) for s in stores))
    again = await asyncio.gather(*(s.claim_report(0.5) for s in stores))
    await asyncio.sleep(0.5)
    later = await asyncio.gather(*(s.claim_report(0.5) for s in stores))

    assert (sum(first), sum(again), sum(later)) == (1, 0, 1)


async def test_hosts_show_their_turns_and_an_open_circuit(make_budget: MakeBudget) -> None:
    budget = make_budget("w1", interval_s=0.0, circuit_threshold=1)
    await budget.ensure_hosts(["wsp", "consultacenso"])
    for _ in range(3):
        await budget.book("wsp")
        await budget.release("wsp", Lane.BULK, used=True)
    await budget.answered("wsp", LookupResult.unrecognised("wsp", "unexpected message", "<p>"))

    hosts = {h.host: h for h in await PostgresCapacity(budget.engine, "w1").hosts()}

    assert set(hosts) == {"wsp", "consultacenso"}
    assert (hosts["wsp"].turns_last_minute, hosts["wsp"].turns_last_hour) == (3, 3)
    assert hosts["wsp"].circuit_open_since is not None
    assert hosts["wsp"].last_raw_answer == "<p>" and hosts["wsp"].unclassified_in_a_row == 1
    assert hosts["consultacenso"].circuit_open_since is None
    assert hosts["consultacenso"].turns_last_minute == 0 and not hosts["consultacenso"].held


async def test_captcha_usage_is_summed_and_the_latest_balance_wins(
    make_budget: MakeBudget,
) -> None:
    one, other = (PostgresCapacity(make_budget(w).engine, w) for w in ("w1", "w2"))
    earlier = datetime.now(UTC) - timedelta(minutes=5)
    later = datetime.now(UTC)

    await one.record_captcha(CaptchaUsage(10, 1, 9.0, earlier))
    await one.record_captcha(CaptchaUsage(12, 1, 9.0, earlier))  # its counters moved on
    await other.record_captcha(CaptchaUsage(30, 2, 8.5, later))
    totals = await one.captcha_totals()

    assert (totals.solves, totals.expired, totals.balance) == (42, 3, 8.5)
    assert totals.balance_checked_at == later


async def test_no_captcha_usage_yet_sums_to_nothing(make_budget: MakeBudget) -> None:
    totals = await PostgresCapacity(make_budget("w1").engine, "w1").captcha_totals()

    assert totals == CaptchaUsage(0, 0, None, None)
