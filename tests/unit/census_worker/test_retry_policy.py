"""The retry schedule of failed lookups."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.census_worker.domain.retries import RetryPolicy

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_default_policy_waits_60_then_300_seconds_and_gives_up_after_three_attempts() -> None:
    policy = RetryPolicy()
    first, second = policy.after_failure(1, NOW), policy.after_failure(2, NOW)
    assert first is not None and second is not None
    assert (first.attempt, first.topic, first.due_at) == (
        2,
        "census.worker.retry-1",
        NOW + timedelta(seconds=60),
    )
    assert (second.attempt, second.topic, second.due_at) == (
        3,
        "census.worker.retry-2",
        NOW + timedelta(seconds=300),
    )
    assert policy.after_failure(3, NOW) is None


def test_four_attempts_use_the_third_delay() -> None:
    plan = RetryPolicy(max_attempts=4).after_failure(3, NOW)
    assert plan is not None and plan.due_at == NOW + timedelta(seconds=900)
    assert plan.topic == "census.worker.retry-3"


def test_a_single_attempt_never_retries() -> None:
    assert RetryPolicy(max_attempts=1).after_failure(1, NOW) is None


@pytest.mark.parametrize("attempts", [0, 5])
def test_attempts_beyond_the_declared_retry_topics_are_refused(attempts: int) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=attempts)
