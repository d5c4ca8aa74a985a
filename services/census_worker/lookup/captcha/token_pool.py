"""Captcha tokens solved ahead of time, so a lookup seldom waits the 10-60 s of a solve.

Every pooled token is paid for whether used or not; tokens older than `max_age_s` are discarded.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import structlog

from services.census_worker.lookup.captcha.solver import CaptchaSolver

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class _Token:
    value: str
    solved_at: float


class PresolvedTokenPool:
    """Keeps up to `size` tokens for one sitekey and page, refilled by background solves."""

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
    ) -> None:
        self.sitekey, self.page_url = sitekey, page_url
        self._solver, self._size, self._max_age_s = solver, size, max_age_s
        self._retry_delay_s, self._clock = retry_delay_s, clock
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

    def take(self) -> str | None:
        """The oldest token still fresh enough, or None when the pool is empty."""
        self._discard_expired()
        if not self._tokens:
            return None
        self._changed.set()
        return self._tokens.popleft().value

    async def _supervise(self) -> None:
        while True:
            self._discard_expired()
            while len(self._tokens) + len(self._solving) < self._size:
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
        try:
            token = await self._solver.solve(self.sitekey, self.page_url)
        except Exception as exc:  # keep refilling; the slot waits out the delay
            log.warning("captcha_pool_solve_failed", error=str(exc), error_type=type(exc).__name__)
            await asyncio.sleep(self._retry_delay_s)
            return
        self._tokens.append(_Token(token, self._clock()))

    def _discard_expired(self) -> None:
        oldest_allowed = self._clock() - self._max_age_s
        while self._tokens and self._tokens[0].solved_at < oldest_allowed:
            self._tokens.popleft()
            self._changed.set()


class PooledCaptchaSolver:
    """Takes a pooled token when the pool serves that sitekey and page; otherwise solves one."""

    def __init__(self, pool: PresolvedTokenPool, fallback: CaptchaSolver) -> None:
        self._pool, self._fallback = pool, fallback

    async def solve(self, sitekey: str, page_url: str) -> str:
        if self._pool.serves(sitekey, page_url) and (token := self._pool.take()):
            return token
        return await self._fallback.solve(sitekey, page_url)
