"""Publishing through a FastStream Kafka broker: events to their declared topic, failed records."""

from __future__ import annotations

from datetime import datetime

import structlog
from aiokafka.structs import ConsumerRecord
from faststream.kafka import KafkaBroker

from schemas.envelope import Event, encode_event
from services.common.failures import failed_record

log = structlog.get_logger(__name__)


class RecordPublisher:
    def __init__(self, broker: KafkaBroker, group: str) -> None:
        self._broker = broker
        self._group = group

    async def publish(self, event: Event) -> None:
        await self.publish_record(event.destination, encode_event(event))

    async def publish_record(self, topic: str, record: tuple[bytes, bytes, dict[str, str]]) -> None:
        """An encoded (or sealed) event: its key, value and headers."""
        key, value, headers = record
        await self._broker.publish(value, topic, key=key, headers=headers)

    async def park(
        self,
        topic: str,
        record: ConsumerRecord,
        kind: str,
        message: str,
        attempt: int = 1,
        due_at: datetime | None = None,
    ) -> None:
        """Send a failed record to a retry topic (with `due_at`) or a dead-letter topic."""
        failed = failed_record(record, self._group, kind, message, attempt, due_at)
        log.warning(
            "kafka.record_parked",
            to=topic,
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            kind=kind,
            attempt=attempt,
            reason=message[:200],
        )
        await self._broker.publish(failed.value, topic, key=failed.key, headers=failed.headers)
