"""Sends claimed outbox rows to Kafka: rows of one key strictly one after another, keys in parallel.

A key's next row is sent only after Kafka acknowledged the previous one, so a failure can never let
a later event of that key overtake an earlier one.
"""

from __future__ import annotations

import asyncio

import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from services.common.kafka import ensure_topics, kafka_producer, start_client
from services.common.logging import bound_context, envelope_ids
from services.common.settings import KafkaSettings
from services.registration.adapters.outbox_store import OutboxRecord

log = structlog.get_logger(__name__)
SendResult = tuple[list[int], BaseException | None]


class KafkaPublisher:
    def __init__(self, settings: KafkaSettings) -> None:
        self.settings = settings
        self._producer: AIOKafkaProducer | None = None

    async def publish(self, records: list[OutboxRecord]) -> SendResult:
        """Ids Kafka acknowledged (ascending), and the first error met, if any."""
        producer = await self._started()
        chains: dict[tuple[str, bytes], list[OutboxRecord]] = {}
        for record in records:
            chains.setdefault((record.topic, record.key), []).append(record)
        results = await asyncio.gather(*(_send_chain(producer, chain) for chain in chains.values()))
        delivered = sorted(record_id for ids, _ in results for record_id in ids)
        errors = [error for _, error in results if error is not None]
        return delivered, errors[0] if errors else None

    async def close(self) -> None:
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None

    async def _started(self) -> AIOKafkaProducer:
        if self._producer is None:
            if self.settings.create_topics:
                await ensure_topics(self.settings)
            producer = kafka_producer(self.settings, "registration-relay")
            try:
                await start_client(producer, self.settings)
            except BaseException:
                await producer.stop()
                raise
            self._producer = producer
        return self._producer


async def _send_chain(producer: AIOKafkaProducer, chain: list[OutboxRecord]) -> SendResult:
    delivered: list[int] = []
    for record in chain:
        try:
            with bound_context(**envelope_ids(record.headers)):
                await producer.send_and_wait(
                    record.topic,
                    value=record.value,
                    key=record.key,
                    headers=[(name, value.encode()) for name, value in record.headers.items()],
                )
        except KafkaError as exc:
            return delivered, exc
        delivered.append(record.id)
    return delivered, None
