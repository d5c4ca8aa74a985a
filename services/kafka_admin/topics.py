"""What each topic holds: the first and next offset of every partition."""

from __future__ import annotations

from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient

from services.kafka_admin.clients import partitions_of


@dataclass(frozen=True)
class PartitionState:
    topic: str
    partition: int
    start: int
    end: int

    @property
    def messages(self) -> int:
        return self.end - self.start


async def topic_states(
    admin: AIOKafkaAdminClient, consumer: AIOKafkaConsumer, topics: list[str]
) -> list[PartitionState]:
    partitions = await partitions_of(admin, topics)
    if not partitions:
        return []
    starts = await consumer.beginning_offsets(partitions)
    ends = await consumer.end_offsets(partitions)
    return [PartitionState(tp.topic, tp.partition, starts[tp], ends[tp]) for tp in partitions]
