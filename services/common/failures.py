"""Headers of a record that failed: why, where it came from, which attempt, when it is due again.

A record keeps its original topic, partition, offset and first-failure time through every retry
level and into the dead-letter topic, so an operator reads its whole story from the headers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from aiokafka.structs import ConsumerRecord

from schemas.envelope import MAX_EVENT_BYTES
from services.common.text import ascii_number

MAX_MESSAGE_CHARS = 1_000
# A body over MAX_EVENT_BYTES is parked as its first bytes only: whole, with the failure
# headers added, it could exceed the broker's message size, and a dead letter that cannot be
# written would make its consumer take the record again forever. It can never be redriven anyway.
KEPT_OF_OVERSIZED_BYTES = 64 * 1024
TRUNCATED_FROM = "failure_value_truncated_from"
ATTEMPT = "failure_attempt"
DUE_AT = "retry_due_at_ms"
ORIGINAL_TOPIC = "failure_original_topic"


@dataclass(frozen=True)
class FailedRecord:
    key: bytes | None
    value: bytes
    headers: dict[str, str]


def header(record: ConsumerRecord, name: str) -> str | None:
    for key, value in record.headers or ():
        if key == name:
            raw: bytes = value  # aiokafka is untyped: a header's value is bytes
            return raw.decode(errors="replace")
    return None


def attempt_of(record: ConsumerRecord) -> int:
    """The attempt this record is: 1 on its first delivery, n on the retry topics."""
    value = header(record, ATTEMPT)
    attempt = ascii_number(value or "", 9)
    return attempt + 1 if attempt is not None else 1


def failed_record(
    record: ConsumerRecord,
    group: str,
    kind: str,
    message: str,
    attempt: int,
    due_at: datetime | None = None,
) -> FailedRecord:
    """The record as it goes to a retry or dead-letter topic: same key and bytes, more headers."""
    kept = {name: value.decode(errors="replace") for name, value in record.headers or ()}
    first = ORIGINAL_TOPIC not in kept
    headers = {
        **kept,
        ATTEMPT: str(attempt),
        "failure_consumer_group": group,
        "failure_kind": kind,
        "failure_message": message[:MAX_MESSAGE_CHARS],
        "failure_at": datetime.now(UTC).isoformat(),
    }
    if first:
        headers |= {
            ORIGINAL_TOPIC: record.topic,
            "failure_original_partition": str(record.partition),
            "failure_original_offset": str(record.offset),
            "failure_original_timestamp_ms": str(record.timestamp),
            "failure_first_at": headers["failure_at"],
        }
    if due_at is not None:
        headers[DUE_AT] = str(int(due_at.timestamp() * 1000))
    else:
        headers.pop(DUE_AT, None)
    value = record.value or b""
    if len(value) > MAX_EVENT_BYTES:
        headers[TRUNCATED_FROM] = str(len(value))
        value = value[:KEPT_OF_OVERSIZED_BYTES]
    return FailedRecord(record.key, value, headers)
