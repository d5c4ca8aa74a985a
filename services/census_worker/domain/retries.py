"""When a failed lookup is tried again: one retry topic per level, each with its own delay.

Attempt n that fails waits `delays_s[n-1]` on retry topic n, unless it was the last allowed
attempt: then the record goes to the dead-letter topic. With the defaults (three attempts, delays
60 s and 300 s used, 900 s available when attempts are raised) this is the replaced system's policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from schemas import topics


@dataclass(frozen=True)
class RetryPlan:
    attempt: int  # the attempt the retry will be
    topic: str
    due_at: datetime


@dataclass(frozen=True)
class RetryPolicy:
    delays_s: tuple[float, ...] = (60.0, 300.0, 900.0)
    max_attempts: int = 3

    def __post_init__(self) -> None:
        retries = self.max_attempts - 1
        if self.max_attempts < 1 or retries > min(len(self.delays_s), len(topics.WORKER_RETRIES)):
            raise ValueError(
                f"{self.max_attempts} attempts need {retries} delays and retry topics; "
                f"there are {len(self.delays_s)} delays and {len(topics.WORKER_RETRIES)} topics"
            )

    def after_failure(self, attempt: int, now: datetime) -> RetryPlan | None:
        if attempt >= self.max_attempts:
            return None
        return RetryPlan(
            attempt=attempt + 1,
            topic=topics.WORKER_RETRIES[attempt - 1].name,
            due_at=now + timedelta(seconds=self.delays_s[attempt - 1]),
        )
