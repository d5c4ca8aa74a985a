"""Limits on attempts: sliding windows (failed logins per client address, validation requests per
actor) and growing delays (failed logins per cédula: nobody can keep an account locked for long,
yet guessing stays slow)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


class Counted(Protocol):
    """What the store needs of a limit: the scope its hits are kept under, and for how long."""

    @property
    def scope(self) -> str: ...

    @property
    def window(self) -> timedelta: ...


@dataclass(frozen=True)
class Limit:
    scope: str  # what is counted, e.g. "login_failure"
    max_hits: int
    window_s: int

    @property
    def window(self) -> timedelta:
        return timedelta(seconds=self.window_s)


def seconds_until_allowed(
    limit: Limit, hits: list[datetime], now: datetime, cost: int = 1
) -> int | None:
    """None if `cost` more hits are allowed, else whole seconds until enough counted hits expire
    (`cost` above the limit itself is never allowed: ValueError)."""
    if cost > limit.max_hits:
        raise ValueError(f"{cost} hits can never fit a limit of {limit.max_hits}")
    recent = sorted(hit for hit in hits if hit > now - limit.window)
    excess = len(recent) + cost - limit.max_hits
    if excess <= 0:
        return None
    released_at = recent[excess - 1] + limit.window
    return max(1, math.ceil((released_at - now).total_seconds()))


@dataclass(frozen=True)
class GrowingDelay:
    """Failures of one subject inside `window_s`: the first `free` cost nothing; from then on each
    failure makes the next attempt wait, `base_s` after the `free`-th and twice as long after each
    one more, at most `max_s`. A stranger who fails on purpose delays the owner by `max_s` at
    worst, never locks the account for good."""

    scope: str
    free: int
    base_s: float
    max_s: float
    window_s: int

    @property
    def window(self) -> timedelta:
        return timedelta(seconds=self.window_s)

    def seconds_to_wait(self, failures: list[datetime], now: datetime) -> int | None:
        """None if an attempt is allowed now, else whole seconds until it is."""
        recent = sorted(hit for hit in failures if hit > now - self.window)
        if len(recent) < self.free:
            return None
        delay_s = min(self.base_s * 2.0 ** (len(recent) - self.free), self.max_s)
        allowed_at = recent[-1] + timedelta(seconds=delay_s)
        if allowed_at <= now:
            return None
        return max(1, math.ceil((allowed_at - now).total_seconds()))
