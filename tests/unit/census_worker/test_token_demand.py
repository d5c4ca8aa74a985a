"""Tokens solved ahead follow the lookups' pace: enough for one solve's time, none left to expire
(fake clock; the solver takes fake seconds)."""

from __future__ import annotations

import asyncio

from services.census_worker.lookup.captcha.demand import TokenDemand
from services.census_worker.lookup.captcha.spend import CaptchaSpend
from services.census_worker.lookup.captcha.token_pool import PresolvedTokenPool

SITEKEY, PAGE = "site-key", "http://sim.test/censo/consultar/"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def paced(clock: FakeClock, solve_s: float, every_s: float, takes: int) -> TokenDemand:
    demand = TokenDemand(max_age_s=90.0, clock=clock)
    demand.solved(solve_s)
    for _ in range(takes):
        clock.now += every_s
        demand.took()
    return demand


def test_one_token_ahead_until_the_pace_is_known() -> None:
    demand = TokenDemand(max_age_s=90.0, clock=FakeClock())

    assert demand.target(size=8) == 1


def test_target_is_solve_time_over_the_interval_between_takes_plus_one() -> None:
    clock = FakeClock()

    assert paced(clock, solve_s=4.0, every_s=1.0, takes=5).target(size=20) == 5
    assert paced(clock, solve_s=4.0, every_s=3.0, takes=5).target(size=20) == 3
    assert paced(clock, solve_s=20.0, every_s=5.0, takes=5).target(size=20) == 5


def test_target_never_exceeds_the_configured_size() -> None:
    assert paced(FakeClock(), solve_s=40.0, every_s=1.0, takes=5).target(size=4) == 4


def test_a_pause_longer_than_the_usual_interval_lowers_the_target() -> None:
    clock = FakeClock()
    demand = paced(clock, solve_s=4.0, every_s=1.0, takes=5)

    clock.now += 4.0

    assert demand.target(size=20) == 2


def test_no_token_is_wanted_after_a_tokens_lifetime_without_takes() -> None:
    clock = FakeClock()
    demand = paced(clock, solve_s=4.0, every_s=1.0, takes=5)

    clock.now += 91.0

    assert demand.target(size=20) == 0


class FakeSecondsSolver:
    """Each solve ends once the fake clock has moved `solve_s` past its start."""

    def __init__(self, clock: FakeClock, solve_s: float) -> None:
        self.clock, self.solve_s, self.calls = clock, solve_s, 0

    async def solve(self, sitekey: str, page_url: str) -> str:
        self.calls += 1
        ready_at = self.clock.now + self.solve_s
        while self.clock.now < ready_at:
            await asyncio.sleep(0.001)
        return f"token-{self.calls}"


async def test_in_steady_state_every_lookup_finds_a_token_and_none_expires() -> None:
    clock = FakeClock()
    solver = FakeSecondsSolver(clock, solve_s=4.0)
    spend = CaptchaSpend(price_per_1000=2.99)
    pool = PresolvedTokenPool(
        solver, sitekey=SITEKEY, page_url=PAGE, size=20, clock=clock, spend=spend
    )
    pool.start()
    missed = taken = 0
    try:
        for step in range(1, 241):  # 120 fake seconds, a lookup every 3 s
            clock.now += 0.5
            await asyncio.sleep(0.002)
            if step % 6 == 0:
                taken += 1
                missed += pool.take() is None
    finally:
        await pool.stop()

    assert spend.expired == 0
    assert missed <= 3  # while the pace is learnt
    assert solver.calls <= taken + 3  # ceil(4 / 3) + 1 ahead, no more
