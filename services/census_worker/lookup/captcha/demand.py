"""How many captcha tokens to keep solved ahead: enough for the lookups expected during one solve.

Every token is paid for and lives ~2 minutes, so the pool follows what this process actually
uses (the turns it gets at the host show up as tokens taken), not a fixed size.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Protocol

SMOOTHING = 0.3  # weight of the newest observation in the moving averages


class Demand(Protocol):
    def took(self) -> None:
        """A lookup asked for a token (pooled or not)."""

    def solved(self, seconds: float) -> None:
        """A solve for the pool took `seconds`."""

    def target(self, size: int) -> int:
        """Tokens to keep ready or being solved, at most `size`."""


class TokenDemand:
    """Target = ceil(solve time ÷ interval between takes) + 1, both moving averages; nothing
    while no token was taken for a token's whole life (an idle worker pays for nothing)."""

    def __init__(self, max_age_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._max_age_s, self._clock = max_age_s, clock
        self._interval_s: float | None = None
        self._solve_s: float | None = None
        self._last_take = clock()  # the start counts as a take: idle since start
        self._taken = False

    def took(self) -> None:
        now = self._clock()
        if self._taken:
            self._interval_s = _average(self._interval_s, now - self._last_take)
        self._last_take, self._taken = now, True

    def solved(self, seconds: float) -> None:
        self._solve_s = _average(self._solve_s, seconds)

    def target(self, size: int) -> int:
        idle_s = self._clock() - self._last_take
        if idle_s > self._max_age_s:
            return 0
        if self._interval_s is None or self._solve_s is None:
            return min(size, 1)  # one token ahead until the pace is known
        # A pause longer than the usual interval already says the pace has slowed.
        interval_s = max(self._interval_s, idle_s, 1e-3)
        return min(size, math.ceil(self._solve_s / interval_s) + 1)


def _average(previous: float | None, observed: float) -> float:
    if previous is None:
        return observed
    return previous + SMOOTHING * (observed - previous)
