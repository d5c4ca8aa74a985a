"""Dead letters: read them with their failure story, and send them back where they came from.

A redriven record is its original key and bytes, published to its original topic without the
failure headers (so it starts again at attempt 1) and with `redriven_from` naming the dead letter;
a validation request goes to the bulk lane whichever lane it came from (nobody waits for a redrive).
Redriving the same letter twice is harmless: the worker looks the cédula up again at most.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from aiokafka import AIOKafkaProducer
from aiokafka.structs import ConsumerRecord

from schemas import topics
from services.common.failures import ORIGINAL_TOPIC, header
from services.kafka_admin.audit import record_action
from services.kafka_admin.browse import RecordFilter, records
from services.kafka_admin.clients import KafkaClients

DEAD_LETTER_TOPICS = (topics.WORKER_DLT.name, topics.WEB_DLT.name)
_REQUEST_TOPICS = (topics.VALIDATION_REQUESTS.name, topics.BULK_VALIDATION_REQUESTS.name)


class NotADeadLetterTopic(ValueError):
    pass


@dataclass(frozen=True)
class RedriveReport:
    dlt: str
    redriven: int
    skipped: int  # letters without an original topic (cannot be redriven)


def check_topic(topic: str) -> str:
    if topic not in DEAD_LETTER_TOPICS:
        raise NotADeadLetterTopic(
            f"{topic} is not a dead-letter topic: {', '.join(DEAD_LETTER_TOPICS)}"
        )
    return topic


async def letters(
    clients: KafkaClients,
    dlt: str,
    where: RecordFilter,
    limit: int | None = None,
) -> AsyncIterator[ConsumerRecord]:
    async for record in records(clients, check_topic(dlt), where, limit):
        yield record


def redrive_topic(original: str) -> str:
    """Where a letter from `original` goes back to: requests to the bulk lane, others home."""
    return topics.BULK_VALIDATION_REQUESTS.name if original in _REQUEST_TOPICS else original


def redriven_headers(letter: ConsumerRecord) -> list[tuple[str, bytes]]:
    kept = [(n, v) for n, v in letter.headers or () if not n.startswith(("failure_", "retry_"))]
    return [*kept, ("redriven_from", f"{letter.topic}/{letter.partition}/{letter.offset}".encode())]


async def redrive(
    clients: KafkaClients,
    producer: AIOKafkaProducer,
    dlt: str,
    where: RecordFilter,
    offsets: set[tuple[int, int]] | None = None,
    progress: Callable[[int], None] = lambda _: None,
    operator: str | None = None,
) -> RedriveReport:
    """Send matching letters (or exactly those at (partition, offset)) back; record the action."""
    redriven = skipped = 0
    async for letter in letters(clients, dlt, where):
        if offsets is not None and (letter.partition, letter.offset) not in offsets:
            continue
        original = header(letter, ORIGINAL_TOPIC)
        if not original:
            skipped += 1
            continue
        await producer.send_and_wait(
            redrive_topic(original),
            value=letter.value,
            key=letter.key,
            headers=redriven_headers(letter),
        )
        redriven += 1
        progress(redriven)
    await record_action(producer, "dlt.redrive", dlt, redriven, operator, skipped=str(skipped))
    return RedriveReport(dlt, redriven, skipped)
