"""Reading records of a topic for people: decoded payload, headers, filters by key, type, header
and time. Reads without joining any consumer group, so it never moves anyone's offsets."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.structs import ConsumerRecord

from services.kafka_admin.clients import KafkaClients, partitions_of


@dataclass(frozen=True)
class RecordFilter:
    key: str | None = None  # the cédula or user id
    event_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    since: datetime | None = None
    until: datetime | None = None

    def matches(self, record: ConsumerRecord) -> bool:
        view_headers = decode_headers(record)
        if self.key is not None and (record.key or b"").decode(errors="replace") != self.key:
            return False
        if self.event_type is not None and view_headers.get("ce_type") != self.event_type:
            return False
        if any(view_headers.get(name) != value for name, value in self.headers.items()):
            return False
        return self.until is None or record.timestamp <= _ms(self.until)


@dataclass(frozen=True)
class RecordView:
    topic: str
    partition: int
    offset: int
    timestamp: datetime
    key: str | None
    headers: dict[str, str]
    payload: Any

    def as_json(self) -> dict[str, Any]:
        return {**self.__dict__, "timestamp": self.timestamp.isoformat()}


def decode_headers(record: ConsumerRecord) -> dict[str, str]:
    return {name: value.decode(errors="replace") for name, value in record.headers or ()}


def view(record: ConsumerRecord) -> RecordView:
    raw = record.value or b""
    try:
        payload: Any = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        payload = raw.decode(errors="replace")[:2_000]
    return RecordView(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        timestamp=datetime.fromtimestamp(record.timestamp / 1000, UTC),
        key=record.key.decode(errors="replace") if record.key is not None else None,
        headers=decode_headers(record),
        payload=payload,
    )


async def records(
    clients: KafkaClients,
    topic: str,
    where: RecordFilter,
    limit: int | None = None,
) -> AsyncIterator[ConsumerRecord]:
    """Matching records from the start (or `since`) up to the end as it was when called."""
    admin, consumer = clients
    partitions = await partitions_of(admin, [topic])
    if not partitions:
        return
    consumer.assign(partitions)
    ends = await consumer.end_offsets(partitions)
    await _seek_start(consumer, partitions, where.since)
    served = 0
    while await _behind(consumer, ends):
        batch = await consumer.getmany(*partitions, timeout_ms=500, max_records=500)
        for tp, chunk in batch.items():
            for record in chunk:
                if record.offset < ends[tp] and where.matches(record):
                    yield record
                    served += 1
                    if limit is not None and served >= limit:
                        return


async def _behind(consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> bool:
    for tp, end in ends.items():
        if await consumer.position(tp) < end:
            return True
    return False


async def _seek_start(
    consumer: AIOKafkaConsumer, partitions: list[TopicPartition], since: datetime | None
) -> None:
    # Explicit seeks: aiokafka's lazy seek_to_beginning can lose a race with the initial reset.
    if since is None:
        for tp, offset in (await consumer.beginning_offsets(partitions)).items():
            consumer.seek(tp, offset)
        return
    found = await consumer.offsets_for_times({tp: _ms(since) for tp in partitions})
    ends = await consumer.end_offsets(partitions)
    for tp in partitions:
        consumer.seek(tp, found[tp].offset if found[tp] is not None else ends[tp])


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


async def follow(
    clients: KafkaClients, topic: str, where: RecordFilter
) -> AsyncIterator[ConsumerRecord]:
    """Matching records as they arrive, from now on, until the caller stops iterating."""
    admin, consumer = clients
    partitions = await partitions_of(admin, [topic])
    consumer.assign(partitions)
    for tp, offset in (await consumer.end_offsets(partitions)).items():
        consumer.seek(tp, offset)
    while True:
        batch = await consumer.getmany(*partitions, timeout_ms=500)
        for chunk in batch.values():
            for record in chunk:
                if where.matches(record):
                    yield record
