"""The web's clock: what time it is, what day it is in Colombia, and since when a census still
waiting counts as stuck (`WEB_STUCK_AFTER_S`). Pages take it as a dependency; tests give it a
fixed time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

BOGOTA = ZoneInfo("America/Bogota")  # Colombia's one time zone: dates and days are counted here


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Clock:
    stuck_after: timedelta
    now: Callable[[], datetime] = field(default=utc_now)

    def stuck_before(self) -> datetime:
        """A census PENDING or PROCESSING since before this instant is stuck."""
        return self.now() - self.stuck_after

    def today(self) -> date:
        """Today's date in Colombia."""
        return self.now().astimezone(BOGOTA).date()
