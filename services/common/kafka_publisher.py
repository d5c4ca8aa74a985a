"""Publishing through a FastStream Kafka broker: events to their declared topic, dead letters."""

from __future__ import annotations

import structlog
from aiokafka.structs import ConsumerRecord
from faststream.kafka import KafkaBroker

from schemas.envelope import Event, encode_event
from services.common.dead_letters import dead_letter

log = structlog.get_logger(__name__)


class RecordPublisher:
    def __init__(self, broker: KafkaBroker) -> None:
        self._broker = broker

    async def publish(self, event: Event) -> None:
        key, value, headers = encode_event(event)
        await self._broker.publish(value, event.topic, key=key, headers=headers)

    async def dead_letter(
        self, dlt_topic: str, record: ConsumerRecord, group: str, error: BaseException
    ) -> None:
        """Park a record that retrying cannot fix, with the headers that say why."""
        letter = dead_letter(record, group, error)
        log.warning(
            "kafka.dead_letter",
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            dlt=dlt_topic,
            error=str(error)[:200],
        )
        await self._broker.publish(letter.value, dlt_topic, key=letter.key, headers=letter.headers)
