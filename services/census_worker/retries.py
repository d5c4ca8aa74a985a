"""When a failed lookup is tried again: one retry topic per level, each with its own delay."""

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
    """`delays_s[n-1]` is the wait after failed attempt n; after the last one, the dead letters."""

    delays_s: tuple[float, ...] = (60.0, 300.0, 900.0)

    def __post_init__(self) -> None:
        if len(self.delays_s) > len(topics.WORKER_RETRIES):
            raise ValueError(f"at most {len(topics.WORKER_RETRIES)} retry levels are declared")

    @property
    def max_attempts(self) -> int:
        return len(self.delays_s) + 1

    def after_failure(self, attempt: int, now: datetime) -> RetryPlan | None:
        if attempt > len(self.delays_s):
            return None
        return RetryPlan(
            attempt=attempt + 1,
            topic=topics.WORKER_RETRIES[attempt - 1].name,
            due_at=now + timedelta(seconds=self.delays_s[attempt - 1]),
        )
