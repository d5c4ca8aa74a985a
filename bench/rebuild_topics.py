"""The rebuild benchmark's topics: a campaign's events produced as the real producers write them,
and read back by a plain consumer that does nothing with them (the baseline)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator

from aiokafka import AIOKafkaProducer

from schemas.envelope import Event, encode_event
from services.common.settings import KafkaSettings
from services.kafka_admin.clients import kafka_clients, partitions_of
from services.web.entrypoints.subscribers import PROJECTED_TOPICS

TOPICS = [spec.name for spec in PROJECTED_TOPICS]
READ_CHUNK = 10_000
Encoded = tuple[str, bytes, bytes, list[tuple[str, bytes]]]  # topic, key, value, headers


def encoded(
    events: Iterator[Event],
    record: Callable[[Event], tuple[bytes, bytes, dict[str, str]]] = encode_event,
) -> Iterator[Encoded]:
    """The events as records: in clear, or as `record` makes them (sealed, rebuild_keys.py)."""
    for event in events:
        key, value, headers = record(event)
        yield event.destination, key, value, [(k, v.encode()) for k, v in headers.items()]


async def produce(bootstrap: str, records: Iterator[Encoded]) -> None:
    """As the relay and the worker publish (key → partition by the default partitioner), but
    without waiting for each record: large batches, one flush at the end."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks=1,
        linger_ms=50,
        max_batch_size=1 << 20,
        request_timeout_ms=180_000,  # a busy machine's Kafka may take minutes to answer a batch
    )
    await producer.start()
    try:
        pending = []
        for topic, key, value, headers in records:
            pending.append(await producer.send(topic, value=value, key=key, headers=headers))
            if len(pending) >= 50_000:
                await asyncio.gather(*pending)
                pending.clear()
        await asyncio.gather(*pending)
    finally:
        await producer.stop()


async def raw_read(settings: KafkaSettings) -> float:
    """Seconds a plain consumer (the rebuild's settings) takes to read every projected record
    from the beginning, doing nothing with them."""
    async with kafka_clients(settings) as (admin, consumer):
        partitions = await partitions_of(admin, TOPICS)
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        starts = await consumer.beginning_offsets(partitions)
        remaining = sum(ends.values()) - sum(starts.values())
        started = time.monotonic()
        while remaining > 0:
            batch = await consumer.getmany(timeout_ms=500, max_records=READ_CHUNK)
            remaining -= sum(len(chunk) for chunk in batch.values())
        return time.monotonic() - started
