"""Waiting for records on a topic in tests: await what arrives, no sleeps."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from aiokafka import AIOKafkaConsumer
from aiokafka.structs import ConsumerRecord

from services.common.kafka import kafka_consumer
from services.common.settings import KafkaSettings


class TopicWatcher:
    def __init__(self, consumer: AIOKafkaConsumer) -> None:
        self._consumer = consumer
        self.seen: list[ConsumerRecord] = []

    async def wait_for(
        self, predicate: Callable[[list[ConsumerRecord]], bool], timeout_s: float = 30.0
    ) -> list[ConsumerRecord]:
        async with asyncio.timeout(timeout_s):
            while not predicate(self.seen):
                batch = await self._consumer.getmany(timeout_ms=200)
                self.seen.extend(r for records in batch.values() for r in records)
        return self.seen

    def bodies(self, cedula: str) -> list[dict]:
        """Decoded bodies of the records about `cedula` (by key or payload)."""
        out = []
        for record in self.seen:
            try:
                body = json.loads(record.value)
            except (ValueError, TypeError):
                continue
            if isinstance(body, dict) and body.get("data", {}).get("cedula") == cedula:
                out.append(body)
        return out


@asynccontextmanager
async def watching(bootstrap: str, *topics: str) -> AsyncIterator[TopicWatcher]:
    """Watch `topics` from their current end: only records published inside the block count."""
    settings = KafkaSettings(bootstrap_servers=bootstrap)
    consumer = kafka_consumer(settings, "test-watch", *topics, auto_offset_reset="latest")
    await consumer.start()
    try:
        while not consumer.assignment():
            await consumer.getmany(timeout_ms=100)
        for tp in consumer.assignment():
            await consumer.position(tp)  # pin "latest" before anything is published
        yield TopicWatcher(consumer)
    finally:
        await consumer.stop()
