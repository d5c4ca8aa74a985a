"""A consumer's failed records: one whose fault lies in itself is parked after a few paused tries,
anything else is delivered again after a growing pause; what leaves names no value."""

from __future__ import annotations

import pytest
from aiokafka.structs import ConsumerRecord

from services.common.record_faults import RecordFaults, RetryLater
from tests.support.events import record, user_registered
from tests.support.faults import Pauses, database_error


async def fail(faults: RecordFaults, consumed: ConsumerRecord, exc: Exception) -> str | None:
    try:
        return await faults.failed(consumed, exc)
    except RetryLater as retry:
        assert "1102812122" not in str(retry)
        return None


async def test_a_record_the_database_refuses_is_parked_after_three_paused_tries() -> None:
    pauses = Pauses()
    faults = RecordFaults("test", max_attempts=3, sleep=pauses)
    consumed = record(user_registered(), offset=7)
    outcomes = [await fail(faults, consumed, database_error("22021")) for _ in range(3)]
    assert outcomes[:2] == [None, None]
    assert outcomes[2] is not None and "22021" in outcomes[2] and "1102812122" not in outcomes[2]
    assert pauses.taken == [0.5, 1.0]


async def test_the_database_away_is_waited_out_with_growing_pauses_never_parked() -> None:
    pauses = Pauses()
    faults = RecordFaults("test", max_attempts=3, pause_s=(0.5, 4.0), sleep=pauses)
    consumed = record(user_registered(), offset=8)
    outcomes = [await fail(faults, consumed, database_error("08006")) for _ in range(6)]
    assert outcomes == [None] * 6
    assert pauses.taken == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


async def test_a_success_forgets_the_records_tries() -> None:
    pauses = Pauses()
    faults = RecordFaults("test", max_attempts=2, sleep=pauses)
    consumed = record(user_registered(), offset=9)
    assert await fail(faults, consumed, database_error("23505")) is None
    faults.succeeded(consumed)
    assert await fail(faults, consumed, database_error("23505")) is None  # counted from one


@pytest.mark.parametrize("exc", [TimeoutError(), OSError("connection refused"), KeyError("x")])
async def test_anything_but_a_database_refusal_is_tried_again(exc: Exception) -> None:
    faults = RecordFaults("test", max_attempts=1, sleep=Pauses())
    assert await fail(faults, record(user_registered(), offset=10), exc) is None
