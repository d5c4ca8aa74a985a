"""Moving a consumer group's committed offsets: to the earliest, the latest, or a moment.

Refused while the group has members: committing under a running consumer would be overwritten at
once, or worse, skip records it is processing. Stop the service first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from services.common.kafka import kafka_consumer
from services.common.settings import KafkaSettings
from services.kafka_admin.groups import INACTIVE_GROUP_STATES, group_state

ResetTarget = Literal["earliest", "latest"] | datetime


class GroupIsActive(RuntimeError):
    """The group has running members."""


class UnknownGroup(LookupError):
    """No group of that name has committed offsets: nothing to move."""


def parse_target(text: str) -> ResetTarget:
    """`earliest`, `latest` or an ISO date-time (ValueError otherwise)."""
    if text == "earliest":
        return "earliest"
    if text == "latest":
        return "latest"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not earliest, latest or an ISO date-time") from None


@dataclass(frozen=True)
class OffsetMove:
    topic: str
    partition: int
    current: int | None
    target: int


async def plan_reset(
    admin: AIOKafkaAdminClient,
    consumer: AIOKafkaConsumer,
    group: str,
    to: ResetTarget,
) -> list[OffsetMove]:
    state = await group_state(admin, group)
    if state not in INACTIVE_GROUP_STATES:
        raise GroupIsActive(f"group {group} is {state}: stop its consumers before moving offsets")
    committed = await admin.list_consumer_group_offsets(group)
    if not committed:
        raise UnknownGroup(f"no consumer group {group} with committed offsets")
    partitions = sorted(committed)
    targets = await _targets(consumer, partitions, to)
    return [
        OffsetMove(tp.topic, tp.partition, committed[tp].offset, targets[tp]) for tp in partitions
    ]


async def apply_reset(settings: KafkaSettings, group: str, moves: list[OffsetMove]) -> None:
    """Commit the planned offsets as the group, without joining it (manual assignment). No moves
    (no partitions yet) is nothing to do."""
    if not moves:
        return
    member = kafka_consumer(settings, "ops-offsets", group_id=group)
    await member.start()
    try:
        partitions = [TopicPartition(m.topic, m.partition) for m in moves]
        member.assign(partitions)
        await member.commit({tp: move.target for tp, move in zip(partitions, moves, strict=True)})
    finally:
        await member.stop()


async def _targets(
    consumer: AIOKafkaConsumer, partitions: list[TopicPartition], to: ResetTarget
) -> dict[TopicPartition, int]:
    if to == "earliest":
        starts: dict[TopicPartition, int] = await consumer.beginning_offsets(partitions)
        return starts
    ends: dict[TopicPartition, int] = await consumer.end_offsets(partitions)
    if to == "latest":
        return ends
    found = await consumer.offsets_for_times({tp: int(to.timestamp() * 1000) for tp in partitions})
    return {tp: found[tp].offset if found[tp] is not None else ends[tp] for tp in partitions}
