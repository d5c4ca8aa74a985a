"""Sliding-window limits (failed logins per cédula, validation requests per actor)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Limit:
    scope: str  # what is counted, e.g. "login_failure"
    max_hits: int
    window_s: int

    @property
    def window(self) -> timedelta:
        return timedelta(seconds=self.window_s)


def seconds_until_allowed(limit: Limit, hits: list[datetime], now: datetime) -> int | None:
    """None if one more hit is allowed, else whole seconds until the oldest counted hit expires."""
    recent = sorted(hit for hit in hits if hit > now - limit.window)
    if len(recent) < limit.max_hits:
        return None
    released_at = recent[len(recent) - limit.max_hits] + limit.window
    return max(1, math.ceil((released_at - now).total_seconds()))
