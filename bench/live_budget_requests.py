"""What the live-budget benchmark asks the workers: a revalidation of many cédulas on the bulk lane
(census.requests.bulk) with new sign-ups (accounts.events) arriving while it runs; when each
request and each answer went through Kafka (record timestamps, seconds)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.structs import ConsumerRecord

from schemas import topics
from schemas.envelope import Event, encode_event
from schemas.events import ValidationReason, ValidationRequested, ValidationRequestedData
from services.census_worker.entrypoints.subscribers import INPUT_LANES
from tests.support.events import user_registered
from tests.support.kafka_wait import watching


@dataclass(frozen=True)
class Requests:
    """`bulk` as one revalidation, published at once; `sign_ups` one every `every_s` from
    `after_s` on (0 sign-ups: nothing else)."""

    bulk: Sequence[str]
    sign_ups: Sequence[str] = ()
    after_s: float = 0.0
    every_s: float = 0.0

    @property
    def cedulas(self) -> set[str]:
        return {*self.bulk, *self.sign_ups}


@dataclass
class Answers:
    at: dict[str, float] = field(default_factory=dict)  # cédula → its CedulaValidated's time
    signed_up_at: dict[str, float] = field(default_factory=dict)  # cédula → its UserRegistered's
    read_up_to: int = 0

    def read(self, records: list[ConsumerRecord]) -> set[str]:  # type: ignore[type-arg]
        for record in records[self.read_up_to :]:
            body = json.loads(record.value or b"{}")
            if isinstance(body, dict) and body.get("type") == "CedulaValidated":
                self.at[body["data"]["cedula"]] = record.timestamp / 1000
        self.read_up_to = len(records)
        return set(self.at)

    def sign_up_waits(self) -> list[float]:
        """Seconds from each sign-up on Kafka to its answer on Kafka."""
        return [self.at[c] - at for c, at in self.signed_up_at.items() if c in self.at]


async def look_up(bootstrap: str, requests: Requests, timeout_s: float) -> Answers:
    """Publish the requests, then wait for every answer."""
    answers = Answers()
    async with watching(bootstrap, topics.CENSUS_RESULTS.name) as watcher:
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5)
        await producer.start()
        try:
            for cedula in requests.bulk:
                await _send(producer, revalidation(cedula))
            await producer.flush()
            sign_ups = asyncio.create_task(_sign_up(producer, requests, answers))
            wanted = requests.cedulas
            await watcher.wait_for(lambda seen: answers.read(seen) >= wanted, timeout_s)
            await sign_ups
        finally:
            await producer.stop()
    return answers


async def _sign_up(producer: AIOKafkaProducer, requests: Requests, answers: Answers) -> None:
    await asyncio.sleep(requests.after_s)
    for cedula in requests.sign_ups:
        sent = await (await _send(producer, user_registered(cedula)))
        answers.signed_up_at[cedula] = sent.timestamp / 1000
        await asyncio.sleep(requests.every_s)


async def _send(producer: AIOKafkaProducer, event: Event) -> asyncio.Future:  # type: ignore[type-arg]
    key, value = encode_event(event)[:2]
    topic = event.destination if isinstance(event, ValidationRequested) else topics.ACCOUNTS.name
    return await producer.send(topic, value, key=key)


async def start_group_at_the_end(bootstrap: str, group: str) -> None:
    """Commit `group`'s offsets at the end of the workers' input topics: a new group reads from
    the earliest record, and earlier phases' requests must not be looked up again."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        partitions = [
            TopicPartition(spec.name, p)
            for spec in topics.ALL_TOPICS
            if spec.name in INPUT_LANES
            for p in range(spec.partitions)
        ]
        consumer.assign(partitions)
        ends = await consumer.end_offsets(partitions)
        await consumer.commit(dict(ends.items()))
    finally:
        await consumer.stop()


def revalidation(cedula: str) -> ValidationRequested:
    """What `censo ops revalidate` publishes for one cédula (bulk lane)."""
    registered = user_registered(cedula)
    data = ValidationRequestedData(
        user_id=registered.data.user_id, cedula=cedula, reason=ValidationReason.REVALIDATION
    )
    return ValidationRequested(producer="bench", data=data)
