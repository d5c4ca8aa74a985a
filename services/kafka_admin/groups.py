"""Consumer groups: their state in Kafka's own words and their lag per partition."""

from __future__ import annotations

from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient

INACTIVE_GROUP_STATES = frozenset({"Empty", "Dead"})


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
