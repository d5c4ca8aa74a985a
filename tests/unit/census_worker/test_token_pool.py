"""The pool of tokens solved ahead of time, with a fake solver and a fake clock."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from services.census_worker.domain.turns import Lane
from services.census_worker.lookup.captcha.pooled import PooledCaptchaSolver, tokens_for
from services.census_worker.lookup.captcha.solver import CaptchaUnsolvable
from services.census_worker.lookup.captcha.token_pool import PresolvedTokenPool
from tests.support.fakes import FixedDemand, FullDemand

SITEKEY, PAGE = "site-key", "http://sim.test/censo/consultar/"


class FakeSolver:
    def __init__(self, *, fail_first: int = 0) -> None:
        self.calls = 0
        self.fail_first = fail_first
        self.numbers = itertools.count(1)

    async def solve(self, sitekey: str, page_url: str) -> str:
        self.calls += 1
        await asyncio.sleep(0)
        if self.calls <= self.fail_first:
            raise CaptchaUnsolvable("captcha service: unsolvable")
        return f"token-{next(self.numbers)}"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_pool(
    solver: FakeSolver, clock: FakeClock | None = None, size: int = 2
) -> PresolvedTokenPool:
    """A pool that keeps `size` tokens (the pacing by demand is in test_token_demand.py)."""
    return PresolvedTokenPool(
        solver,
        sitekey=SITEKEY,
        page_url=PAGE,
        size=size,
        max_age_s=90.0,
        retry_delay_s=0.001,
        clock=clock or FakeClock(),
        demand=FullDemand(),
    )


async def until(condition, timeout: float = 2.0) -> None:  # type: ignore[no-untyped-def]
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.001)


async def test_pool_fills_up_to_its_size_and_stops_solving() -> None:
    solver = FakeSolver()
    pool = make_pool(solver, size=3)
    pool.start()
    try:
        await until(lambda: pool.ready == 3)
        await asyncio.sleep(0.02)
        assert solver.calls == 3
    finally:
        await pool.stop()


async def test_taking_a_token_hands_out_the_oldest_and_triggers_a_refill() -> None:
    solver = FakeSolver()
    pool = make_pool(solver)
    pool.start()
    try:
        await until(lambda: pool.ready == 2)
        assert pool.take() == "token-1"
        await until(lambda: pool.ready == 2)
        assert solver.calls == 3
    finally:
        await pool.stop()


async def test_tokens_older_than_max_age_are_discarded_counted_and_replaced() -> None:
    clock = FakeClock()
    solver = FakeSolver()
    pool = make_pool(solver, clock)
    pool.start()
    try:
        await until(lambda: pool.ready == 2)
        clock.now += 91
        assert pool.take() is None
        assert pool.spend.expired == 2
        await until(lambda: pool.ready == 2)
        assert pool.take() == "token-3"
    finally:
        await pool.stop()


async def test_failed_solves_are_retried_without_killing_the_pool() -> None:
    pool = make_pool(FakeSolver(fail_first=3))
    pool.start()
    try:
        await until(lambda: pool.ready == 2)
    finally:
        await pool.stop()


async def test_stop_cancels_solves_in_flight_and_empties_the_pool() -> None:
    started = asyncio.Event()

    class SlowSolver(FakeSolver):
        async def solve(self, sitekey: str, page_url: str) -> str:
            started.set()
            await asyncio.sleep(60)
            return "never"

    pool = make_pool(SlowSolver())
    pool.start()
    await asyncio.wait_for(started.wait(), 2)
    await asyncio.wait_for(pool.stop(), 2)

    assert pool.ready == 0
    assert [t for t in asyncio.all_tasks() if t.get_name().startswith("captcha-token")] == []


async def test_pool_of_size_zero_never_solves() -> None:
    solver = FakeSolver()
    pool = make_pool(solver, size=0)
    pool.start()
    await asyncio.sleep(0.01)

    assert solver.calls == 0
    await pool.stop()


async def test_pooled_solver_uses_a_pooled_token_then_falls_back() -> None:
    class OnceSolver(FakeSolver):
        async def solve(self, sitekey: str, page_url: str) -> str:
            if self.calls:
                await asyncio.sleep(60)  # the refill never finishes
            return await super().solve(sitekey, page_url)

    pool = make_pool(OnceSolver(), size=1)
    fallback = FakeSolver()
    pooled = PooledCaptchaSolver([pool], fallback)
    pool.start()
    try:
        await until(lambda: pool.ready == 1)
        assert await pooled.solve(SITEKEY, PAGE) == "token-1"
        assert fallback.calls == 0
        assert await pooled.solve(SITEKEY, PAGE) == "token-1"  # the fallback's first token
        assert fallback.calls == 1
    finally:
        await pool.stop()


@pytest.mark.parametrize(("sitekey", "page"), [("other-key", PAGE), (SITEKEY, "http://other/")])
async def test_pooled_solver_solves_directly_for_another_sitekey_or_page(
    sitekey: str, page: str
) -> None:
    pool = make_pool(FakeSolver(), size=1)
    pool.start()
    try:
        await until(lambda: pool.ready == 1)
        fallback = FakeSolver()
        assert await PooledCaptchaSolver([pool], fallback).solve(sitekey, page) == "token-1"
        assert fallback.calls == 1 and pool.ready == 1
    finally:
        await pool.stop()


async def test_pooled_solver_takes_from_the_pool_of_that_hosts_page() -> None:
    wsp, consultacenso = make_pool(FakeSolver(), size=1), make_pool(FakeSolver(), size=1)
    consultacenso.sitekey, consultacenso.page_url = "other-key", "http://other/"
    for pool in (wsp, consultacenso):
        pool.start()
    try:
        await until(lambda: wsp.ready == 1 and consultacenso.ready == 1)
        pooled = PooledCaptchaSolver([wsp, consultacenso], FakeSolver())
        assert await pooled.solve("other-key", "http://other/") == "token-1"
        assert (wsp.ready, consultacenso.ready) == (1, 0)
    finally:
        await wsp.stop()
        await consultacenso.stop()


def reserving_pool(solver: FakeSolver, clock: FakeClock, size: int = 3) -> PresolvedTokenPool:
    """Demand for one token, and one more kept for the interactive lane."""
    return PresolvedTokenPool(
        solver,
        sitekey=SITEKEY,
        page_url=PAGE,
        size=size,
        max_age_s=90.0,
        clock=clock,
        demand=FixedDemand(1),
        reserve=1,
    )


async def test_bulk_leaves_the_reserve_to_the_interactive_lane() -> None:
    clock = FakeClock()
    pool = reserving_pool(FakeSolver(), clock)
    pool.start()
    try:
        await until(lambda: pool.ready == 2)  # demand 1 + reserve 1
        assert pool.take(Lane.BULK) == "token-1"
        assert pool.take(Lane.BULK) is None  # only the reserve is left
        assert pool.take(Lane.INTERACTIVE) == "token-2"
    finally:
        await pool.stop()


async def test_a_reserve_half_its_life_old_goes_to_bulk_instead_of_expiring() -> None:
    clock = FakeClock()
    pool = reserving_pool(FakeSolver(), clock, size=1)  # room for the reserve only
    pool.start()
    try:
        await until(lambda: pool.ready == 1)
        assert pool.take(Lane.BULK) is None
        clock.now += 46
        assert pool.take(Lane.BULK) == "token-1"
        assert pool.spend.expired == 0
    finally:
        await pool.stop()


async def test_the_pooled_solver_takes_tokens_as_the_lookups_lane_may() -> None:
    clock = FakeClock()
    pool = reserving_pool(FakeSolver(), clock, size=1)
    fallback = FakeSolver()
    pooled = PooledCaptchaSolver([pool], fallback)
    pool.start()
    try:
        await until(lambda: pool.ready == 1)
        with tokens_for(Lane.BULK):
            assert await pooled.solve(SITEKEY, PAGE) == "token-1"  # the fallback's
        assert (fallback.calls, pool.ready) == (1, 1)
        with tokens_for(Lane.INTERACTIVE):
            assert await pooled.solve(SITEKEY, PAGE) == "token-1"  # the pool's
        assert fallback.calls == 1
    finally:
        await pool.stop()


async def test_an_idle_pool_keeps_no_reserve() -> None:
    solver = FakeSolver()
    pool = PresolvedTokenPool(
        solver, sitekey=SITEKEY, page_url=PAGE, size=3, demand=FixedDemand(0), reserve=1
    )
    pool.start()
    await asyncio.sleep(0.01)
    assert solver.calls == 0
    await pool.stop()
