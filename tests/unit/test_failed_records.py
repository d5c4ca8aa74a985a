"""A parked record keeps its key and bytes, except a body too large to be an event: that one is
parked as its first bytes, so the dead letter always fits under the broker's message size."""

from __future__ import annotations

import dataclasses

from schemas.envelope import MAX_EVENT_BYTES
from services.common.failures import KEPT_OF_OVERSIZED_BYTES, TRUNCATED_FROM, failed_record
from tests.support.events import record, user_registered


def test_a_parked_record_keeps_its_bytes() -> None:
    consumed = record(user_registered())
    parked = failed_record(consumed, "g", "EventDecodeError", "why", 1)
    assert parked.value == consumed.value and parked.key == consumed.key
    assert TRUNCATED_FROM not in parked.headers


def test_an_oversized_body_is_parked_as_its_first_bytes_with_its_real_size() -> None:
    body = b"x" * (MAX_EVENT_BYTES + 48_000)
    consumed = dataclasses.replace(record(user_registered()), value=body)
    parked = failed_record(consumed, "g", "EventDecodeError", "too large", 1)
    assert parked.value == body[:KEPT_OF_OVERSIZED_BYTES]
    assert parked.headers[TRUNCATED_FROM] == str(len(body))
