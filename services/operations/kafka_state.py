"""What the cluster holds: topics with their offsets, consumer groups with their lag and state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from services.common.settings import KafkaSettings

INACTIVE_GROUP_STATES = frozenset({"Empty", "Dead"})


@dataclass(frozen=True)
class PartitionState:
    topic: str
    partition: int
    start: int
    end: int

    @property
    def messages(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class GroupLag:
    group: str
    state: str
    topic: str
    partition: int
    committed: int | None
    end: int

    @property
    def lag(self) -> int:
        return self.end - (self.committed or 0)


@asynccontextmanager
async def kafka_clients(
    settings: KafkaSettings,
) -> AsyncIterator[tuple[AIOKafkaAdminClient, AIOKafkaConsumer]]:
    """An admin client and a group-less consumer (for offsets), closed on exit."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.bootstrap_servers, client_id=f"{settings.client_id_prefix}-ops"
    )
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers,
        client_id=f"{settings.client_id_prefix}-ops",
        enable_auto_commit=False,
    )
    try:  # both close even after a failed or interrupted start (Kafka out of reach, a timeout)
        await admin.start()
        await consumer.start()
        yield admin, consumer
    finally:
        await consumer.stop()
        await admin.close()


async def partitions_of(admin: AIOKafkaAdminClient, topics: list[str]) -> list[TopicPartition]:
    """Partitions of the existing topics among `topics`, in order; unknown topics are skipped."""
    existing = set(await admin.list_topics())
    wanted = [topic for topic in topics if topic in existing]
    described = await admin.describe_topics(wanted) if wanted else []
    return sorted(
        TopicPartition(topic["topic"], part["partition"])
        for topic in described
        for part in topic["partitions"]
    )


async def topic_states(
    admin: AIOKafkaAdminClient, consumer: AIOKafkaConsumer, topics: list[str]
) -> list[PartitionState]:
    partitions = await partitions_of(admin, topics)
    if not partitions:
        return []
    starts = await consumer.beginning_offsets(partitions)
    ends = await consumer.end_offsets(partitions)
    return [PartitionState(tp.topic, tp.partition, starts[tp], ends[tp]) for tp in partitions]


async def group_state(admin: AIOKafkaAdminClient, group: str) -> str:
    """Stable, PreparingRebalance, Empty, Dead…: Kafka's own word for the group."""
    responses = await admin.describe_consumer_groups([group])
    for response in responses:
        for described in response.groups:
            if described[1] == group:
                return str(described[2])
    return "Dead"


async def group_lags(
    admin: AIOKafkaAdminClient, consumer: AIOKafkaConsumer, group: str
) -> list[GroupLag]:
    committed = await admin.list_consumer_group_offsets(group)
    if not committed:
        return []
    state = await group_state(admin, group)
    ends = await consumer.end_offsets(list(committed))
    return [
        GroupLag(
            group,
            state,
            tp.topic,
            tp.partition,
            meta.offset if meta.offset >= 0 else None,
            ends[tp],
        )
        for tp, meta in sorted(committed.items())
    ]


async def all_groups(admin: AIOKafkaAdminClient) -> list[str]:
    return sorted(group[0] for group in await admin.list_consumer_groups())
