"""What a consumer does with a record it could not process. A record whose fault lies in itself (a
value the database refuses, a constraint it breaks) is tried `max_attempts` times, then parked
with the reason while the rest of its partition flows on; anything else (the database or Kafka
away for a moment) is tried again. Each try of a record pauses twice as long as the one before,
and what leaves is one line naming the kind of error and where, never the record's values."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import structlog
from aiokafka.structs import ConsumerRecord

from services.common.db_faults import describe, is_record_fault

log = structlog.get_logger(__name__)
Position = tuple[str, int, int]


class RetryLater(Exception):
    """Raised instead of the original error (whose message may hold personal data), so the record
    is delivered again."""


class RecordFaults:
    def __init__(
        self,
        consumer: str,
        max_attempts: int = 3,
        pause_s: tuple[float, float] = (0.5, 30.0),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._consumer, self._max_attempts = consumer, max_attempts
        self._first_pause_s, self._longest_pause_s = pause_s
        self._sleep = sleep
        self._attempts: dict[Position, int] = {}

    def succeeded(self, record: ConsumerRecord) -> None:
        self._attempts.pop(_position(record), None)

    async def failed(self, record: ConsumerRecord, exc: Exception) -> str:
        """The reason to park `record` with; raises RetryLater after a pause when it is worth
        another try."""
        position, reason = _position(record), describe(exc)
        attempts = self._attempts[position] = self._attempts.get(position, 0) + 1
        where = {"topic": record.topic, "partition": record.partition, "offset": record.offset}
        if is_record_fault(exc) and attempts >= self._max_attempts:
            del self._attempts[position]
            log.warning("record.parked", consumer=self._consumer, reason=reason, **where)
            return reason
        delay_s = min(self._first_pause_s * 2.0 ** (attempts - 1), self._longest_pause_s)
        log.warning(
            "record.retry_later",
            consumer=self._consumer,
            reason=reason,
            attempt=attempts,
            pause_s=delay_s,
            **where,
        )
        await self._sleep(delay_s)
        raise RetryLater(f"{reason} (attempt {attempts}, paused {delay_s:g} s)") from None


def _position(record: ConsumerRecord) -> Position:
    return (record.topic, record.partition, record.offset)
