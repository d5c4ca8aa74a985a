"""The web's clock: what time it is, and since when a census still waiting counts as stuck
(`WEB_STUCK_AFTER_S`). Pages take it as a dependency; tests give it a fixed time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Clock:
    stuck_after: timedelta
    now: Callable[[], datetime] = field(default=utc_now)

    def stuck_before(self) -> datetime:
        """A census PENDING or PROCESSING since before this instant is stuck."""
        return self.now() - self.stuck_after
