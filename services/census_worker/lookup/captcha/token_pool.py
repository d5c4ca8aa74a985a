"""Captcha tokens solved ahead of time, so a lookup seldom waits the 10-60 s of a solve.

Every pooled token is paid for whether used or not: the pool keeps only as many as `demand` says
the lookups will use (at most `size`); tokens older than `max_age_s` are discarded and counted.
Bulk lookups leave `reserve` tokens to the interactive lane (a new sign-up should not wait for a
solve while a revalidation drains the pool), until a reserved token is half its life old: then
bulk uses it, so the reserve never expires unused.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import structlog

from services.census_worker.domain.turns import Lane
from services.census_worker.lookup.captcha.demand import Demand, TokenDemand
from services.census_worker.lookup.captcha.solver import CaptchaSolver
from services.census_worker.lookup.captcha.spend import CaptchaSpend

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class _Token:
    value: str
    solved_at: float


class PresolvedTokenPool:
    """Keeps up to `size` tokens for one sitekey and page, refilled by background solves as
    `demand` asks (by default: the pace of takes and solves, `TokenDemand`)."""

    def __init__(
        self,
        solver: CaptchaSolver,
        *,
        sitekey: str,
        page_url: str,
        size: int,
        max_age_s: float = 90.0,
        retry_delay_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        demand: Demand | None = None,
        spend: CaptchaSpend | None = None,
        reserve: int = 0,
    ) -> None:
        self.sitekey, self.page_url = sitekey, page_url
        self.demand = demand or TokenDemand(max_age_s, clock)
        self.spend = spend or CaptchaSpend(price_per_1000=0.0)
        self._solver, self._size, self._max_age_s = solver, size, max_age_s
        self._retry_delay_s, self._clock = retry_delay_s, clock
        self._reserve = reserve
        self._tokens: deque[_Token] = deque()
        self._solving: set[asyncio.Task[None]] = set()
        self._changed = asyncio.Event()
        self._supervisor: asyncio.Task[None] | None = None

    @property
    def ready(self) -> int:
        self._discard_expired()
        return len(self._tokens)

    def serves(self, sitekey: str, page_url: str) -> bool:
        return (sitekey, page_url) == (self.sitekey, self.page_url)

    def start(self) -> None:
        if self._supervisor is None and self._size > 0:
            self._supervisor = asyncio.create_task(self._supervise(), name="captcha-token-pool")

    async def stop(self) -> None:
        """Cancel the refill and every solve in flight; forget the tokens."""
        tasks = [t for t in (self._supervisor, *self._solving) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._supervisor = None
        self._tokens.clear()

    def take(self, lane: Lane = Lane.INTERACTIVE) -> str | None:
        """The oldest token still fresh enough, or None when the pool is empty (or, for bulk,
        holds only the interactive lane's reserve, unless that is half its life old)."""
        self._discard_expired()
        self.demand.took()
        self._changed.set()  # the target may have changed even when no token was there
        if not self._tokens:
            return None
        if lane is Lane.BULK and self._reserved(self._tokens[0]):
            return None
        return self._tokens.popleft().value

    def _reserved(self, oldest: _Token) -> bool:
        """Only the interactive lane's reserve is left, young enough to wait for a sign-up."""
        young = self._clock() - oldest.solved_at < self._max_age_s / 2
        return len(self._tokens) <= self._reserve and young

    async def _supervise(self) -> None:
        while True:
            self._discard_expired()
            wanted = self.demand.target(self._size)
            target = min(self._size, wanted + self._reserve) if wanted else 0
            while len(self._tokens) + len(self._solving) < target:
                self._spawn_solve()
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(min(self._max_age_s / 4, 5.0)):
                    await self._changed.wait()

    def _spawn_solve(self) -> None:
        task = asyncio.create_task(self._solve_one(), name="captcha-token-solve")
        self._solving.add(task)
        task.add_done_callback(self._solve_done)

    def _solve_done(self, task: asyncio.Task[None]) -> None:
        self._solving.discard(task)
        self._changed.set()

    async def _solve_one(self) -> None:
        started = self._clock()
        try:
            token = await self._solver.solve(self.sitekey, self.page_url)
        except Exception as exc:  # keep refilling; the slot waits out the delay
            log.warning("captcha_pool_solve_failed", error=str(exc), error_type=type(exc).__name__)
            await asyncio.sleep(self._retry_delay_s)
            return
        solved_at = self._clock()
        self.demand.solved(solved_at - started)
        self._tokens.append(_Token(token, solved_at))

    def _discard_expired(self) -> None:
        oldest_allowed = self._clock() - self._max_age_s
        while self._tokens and self._tokens[0].solved_at < oldest_allowed:
            self._tokens.popleft()
            self.spend.expired += 1
            self._changed.set()
