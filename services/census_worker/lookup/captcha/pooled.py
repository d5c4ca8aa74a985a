"""The captcha solver lookups use: a pooled token when the lane may take one, else a solve."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from contextvars import ContextVar

from services.census_worker.domain.turns import Lane
from services.census_worker.lookup.captcha.solver import CaptchaSolver
from services.census_worker.lookup.captcha.token_pool import PresolvedTokenPool

# The lane of the lookup asking for a token: solvers are called deep inside a site's page flow,
# which has no reason to know about lanes.
_lane: ContextVar[Lane] = ContextVar("captcha_token_lane", default=Lane.INTERACTIVE)


@contextlib.contextmanager
def tokens_for(lane: Lane) -> Iterator[None]:
    """Within: pooled tokens are taken as a lookup of `lane` may (bulk leaves the reserve)."""
    token = _lane.set(lane)
    try:
        yield
    finally:
        _lane.reset(token)


class PooledCaptchaSolver:
    """Takes a token from the pool that serves that sitekey and page (one per host in rotation);
    otherwise, or when that pool is empty, solves one."""

    def __init__(self, pools: Sequence[PresolvedTokenPool], fallback: CaptchaSolver) -> None:
        self._pools, self._fallback = tuple(pools), fallback

    async def solve(self, sitekey: str, page_url: str) -> str:
        for pool in self._pools:
            if pool.serves(sitekey, page_url) and (token := pool.take(_lane.get())):
                return token
        return await self._fallback.solve(sitekey, page_url)
