"""When a parked record is due: its header, but never later than the longest retry delay after it
was parked (a forged or corrupted header must not stall its partition for ever)."""

from __future__ import annotations

from typing import Any, cast

import pytest
from aiokafka.structs import ConsumerRecord

from services.census_worker.entrypoints.retry_consumer import RetryConsumer
from services.common.failures import DUE_AT

PARKED_AT_S = 1_800_000_000.0
LONGEST_WAIT_S = 900.0


def parked(due_header: str | None) -> ConsumerRecord:
    headers = [] if due_header is None else [(DUE_AT, due_header.encode())]
    return ConsumerRecord(
        topic="census.worker.retry-1",
        partition=0,
        offset=7,
        timestamp=int(PARKED_AT_S * 1000),
        timestamp_type=0,
        key=b"1102812122",
        value=b"{}",
        checksum=None,
        serialized_key_size=10,
        serialized_value_size=2,
        headers=headers,
    )


def due_at(record: ConsumerRecord) -> float:
    consumer = RetryConsumer(
        lambda: cast(Any, None),
        ["census.worker.retry-1"],
        cast(Any, None),
        longest_wait_s=LONGEST_WAIT_S,
        clock=lambda: PARKED_AT_S,
    )
    return consumer._due_at(record)


def test_a_due_time_within_the_policy_is_kept() -> None:
    assert due_at(parked(str(int((PARKED_AT_S + 60) * 1000)))) == PARKED_AT_S + 60


@pytest.mark.parametrize(
    "header", [str(int((PARKED_AT_S + 10 * 365 * 86_400) * 1000)), "9" * 30, "9" * 400]
)
def test_a_due_time_far_in_the_future_is_the_longest_wait_after_parking(header: str) -> None:
    assert due_at(parked(header)) == PARKED_AT_S + LONGEST_WAIT_S


@pytest.mark.parametrize("header", [None, "", "soon", "-"])
def test_a_missing_or_unreadable_due_time_is_due_now(header: str | None) -> None:
    assert due_at(parked(header)) == 0.0
