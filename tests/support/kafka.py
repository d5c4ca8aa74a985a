"""Reading topics from the beginning in tests."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.structs import ConsumerRecord


async def read_topic(bootstrap: str, topic: str) -> list[ConsumerRecord]:
    """Every record now in `topic`, across partitions, without joining a consumer group."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer.topics()  # loads the cluster metadata
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        if not partitions:
            return []
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        await consumer.seek_to_beginning(*partitions)
        records: list[ConsumerRecord] = []
        while any(await consumer.position(tp) < end for tp, end in ends.items()):
            batch = await consumer.getmany(*partitions, timeout_ms=1000)
            records.extend(record for chunk in batch.values() for record in chunk)
        return records
    finally:
        await consumer.stop()
