"""Reading topics from the beginning in tests."""

from __future__ import annotations

import asyncio

from aiokafka.structs import ConsumerRecord

from schemas import topics
from services.common.kafka import kafka_producer
from services.common.settings import KafkaSettings
from services.kafka_admin.browse import RecordFilter, records
from services.kafka_admin.clients import kafka_clients, partitions_of
from services.operations.offsets import OffsetMove, apply_reset


async def read_topic(bootstrap: str, topic: str) -> list[ConsumerRecord]:
    """Every record now in `topic`, across partitions, without joining a consumer group."""
    async with kafka_clients(KafkaSettings(bootstrap_servers=bootstrap)) as clients:
        return [record async for record in records(clients, topic, RecordFilter())]


async def publish(bootstrap: str, topic: str, key: bytes, value: bytes) -> None:
    """One raw record, acknowledged by the broker."""
    producer = kafka_producer(KafkaSettings(bootstrap_servers=bootstrap), "test")
    await producer.start()
    try:
        await producer.send_and_wait(topic, value=value, key=key)
    finally:
        await producer.stop()


async def start_group_at_end(bootstrap: str, group: str, topic_names: list[str]) -> None:
    """Commit the current end offsets for a new consumer group, so it skips what earlier tests
    left on shared topics and starts with the records the test is about to publish."""
    settings = KafkaSettings(bootstrap_servers=bootstrap)
    async with kafka_clients(settings) as (admin, consumer):
        partitions = await partitions_of(admin, topic_names)
        ends = await consumer.end_offsets(partitions)
    moves = [OffsetMove(tp.topic, tp.partition, None, end) for tp, end in ends.items()]
    await apply_reset(settings, group, moves)


def worker_topics() -> list[str]:
    return [
        topics.ACCOUNTS.name,
        topics.VALIDATION_REQUESTS.name,
        topics.BULK_VALIDATION_REQUESTS.name,
        *(spec.name for spec in topics.WORKER_RETRIES),
        topics.CENSUS_CONTROL.name,
    ]


def worker_groups(group: str) -> list[str]:
    """A worker deployment's consumer groups: input lanes, retry topics, operators' commands."""
    return [group, f"{group}-retry", f"{group}-control"]


async def until_group_settled(
    bootstrap: str, group: str, members: int, timeout_s: float = 90.0
) -> None:
    """Until `group` is Stable with `members` members: every subscriber of a process joined, so
    no rebalance (which delivers records in flight again) is still to come."""
    settings = KafkaSettings(bootstrap_servers=bootstrap)
    deadline = asyncio.get_running_loop().time() + timeout_s
    async with kafka_clients(settings) as (admin, _):
        while True:
            described = [
                group_row
                for response in await admin.describe_consumer_groups([group])
                for group_row in response.groups
                if group_row[1] == group
            ]
            if described and described[0][2] == "Stable" and len(described[0][5]) == members:
                return
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"group {group} not settled with {members} members")
            await asyncio.sleep(0.2)
