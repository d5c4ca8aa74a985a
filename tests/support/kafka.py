"""Reading topics from the beginning in tests."""

from __future__ import annotations

from aiokafka import AIOKafkaProducer
from aiokafka.structs import ConsumerRecord

from services.common.settings import KafkaSettings
from services.operations.browse import RecordFilter, records
from services.operations.kafka_state import kafka_clients


async def read_topic(bootstrap: str, topic: str) -> list[ConsumerRecord]:
    """Every record now in `topic`, across partitions, without joining a consumer group."""
    async with kafka_clients(KafkaSettings(bootstrap_servers=bootstrap)) as clients:
        return [record async for record in records(clients, topic, RecordFilter())]


async def publish(bootstrap: str, topic: str, key: bytes, value: bytes) -> None:
    """One raw record, acknowledged by the broker."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(topic, value=value, key=key)
    finally:
        await producer.stop()
