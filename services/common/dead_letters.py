"""Dead-letter records: the original bytes plus headers that tell an operator why and from where."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from aiokafka.structs import ConsumerRecord

MAX_ERROR_MESSAGE_CHARS = 1_000


@dataclass(frozen=True)
class DeadLetter:
    key: bytes | None
    value: bytes
    headers: dict[str, str]


def dead_letter(record: ConsumerRecord, group: str, error: BaseException, attempt: int = 1) -> DeadLetter:
    """Wrap a consumed record for its dead-letter topic, keeping its original headers."""
    original = {name: value.decode(errors="replace") for name, value in record.headers or ()}
    headers = {
        **original,
        "dlt_original_topic": record.topic,
        "dlt_original_partition": str(record.partition),
        "dlt_original_offset": str(record.offset),
        "dlt_original_timestamp": str(record.timestamp),
        "dlt_consumer_group": group,
        "dlt_exception_class": type(error).__name__,
        "dlt_exception_message": str(error)[:MAX_ERROR_MESSAGE_CHARS],
        "dlt_attempt": str(attempt),
        "dlt_first_failure_at": original.get("dlt_first_failure_at", datetime.now(UTC).isoformat()),
    }
    return DeadLetter(record.key, record.value or b"", headers)
