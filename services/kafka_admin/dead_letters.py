"""Dead letters: read them with their failure story, and send them back where they came from.

A redriven record is its original key and bytes, published to its original topic without the
failure headers (so it starts again at attempt 1) and with `redriven_from` naming the dead letter;
a validation request goes to the bulk lane whichever lane it came from (nobody waits for a redrive).

A redrive never sends back a letter that would be harmful or useless at home: one parked truncated
(its bytes are only the start of the record), one the envelope decoder refuses (its consumer would
park it again; in `accounts.events`, kept forever, it would stay for good), one whose home is a
dead-letter topic, one without an original topic, or one an earlier redrive already sent
(`redrive_marks`: the marks are the ops.audit records, since a Kafka record cannot be changed).
Each is counted apart with its reason. The audit record comes first: it lists the letters about
to be sent, so a redrive cut midway is on record too (and frees what it did not send).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from enum import StrEnum

from aiokafka import AIOKafkaProducer
from aiokafka.structs import ConsumerRecord

from schemas import topics
from schemas.envelope import EventDecodeError, decode_event
from schemas.events import EVENT_TYPES
from services.common.failures import ORIGINAL_TOPIC, TRUNCATED_FROM, header
from services.kafka_admin.browse import RecordFilter, records
from services.kafka_admin.clients import KafkaClients
from services.kafka_admin.redrive_marks import Spot, record_cut, record_redrive, redriven_before

DEAD_LETTER_TOPICS = (topics.WORKER_DLT.name, topics.WEB_DLT.name)
_REQUEST_TOPICS = (topics.VALIDATION_REQUESTS.name, topics.BULK_VALIDATION_REQUESTS.name)


class NotADeadLetterTopic(ValueError):
    pass


class Skip(StrEnum):
    """Why a matching letter was not sent back."""

    NO_ORIGIN = "no_origin"
    FEEDS_DLT = "feeds_dlt"
    TRUNCATED = "truncated"
    UNDECODABLE = "undecodable"
    ALREADY_REDRIVEN = "already_redriven"


@dataclass(frozen=True)
class RedriveReport:
    dlt: str
    redriven: int
    skipped: dict[Skip, int] = field(default_factory=dict)  # only reasons that occurred

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


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


def unfit(letter: ConsumerRecord) -> Skip | None:
    """Why this letter must not go back, whoever asks; None when it may."""
    original = header(letter, ORIGINAL_TOPIC)
    if not original:
        return Skip.NO_ORIGIN
    if redrive_topic(original) in DEAD_LETTER_TOPICS:
        return Skip.FEEDS_DLT
    if header(letter, TRUNCATED_FROM) is not None:
        return Skip.TRUNCATED
    try:
        decode_event(letter.value or b"", EVENT_TYPES)
    except EventDecodeError:
        return Skip.UNDECODABLE
    return None


async def redrive(
    clients: KafkaClients,
    producer: AIOKafkaProducer,
    dlt: str,
    where: RecordFilter,
    offsets: set[Spot] | None = None,
    progress: Callable[[int], None] = lambda _: None,
    operator: str | None = None,
    again: bool = False,
) -> RedriveReport:
    """Send matching letters (or exactly those at (partition, offset)) back, audited first.
    `again` sends letters an earlier redrive sent too (an operator's explicit choice)."""
    done_before = await redriven_before(clients, check_topic(dlt))
    chosen: set[Spot] = set()
    skipped: Counter[Skip] = Counter()
    async for letter in letters(clients, dlt, where):
        spot = (letter.partition, letter.offset)
        if offsets is not None and spot not in offsets:
            continue
        repeat = spot in done_before and not again
        reason = unfit(letter) or (Skip.ALREADY_REDRIVEN if repeat else None)
        if reason is None:
            chosen.add(spot)
        else:
            skipped[reason] += 1
    counts = {f"skipped_{reason}": str(n) for reason, n in sorted(skipped.items())}
    sent: set[Spot] = set()
    try:
        await record_redrive(producer, dlt, chosen, operator, again=again, **counts)
        async for letter in letters(clients, dlt, RecordFilter()):
            if (letter.partition, letter.offset) in chosen:
                await _send_home(producer, letter)
                sent.add((letter.partition, letter.offset))
                progress(len(sent))
    except (Exception, asyncio.CancelledError):  # a timeout or SIGTERM cuts it by cancelling
        # Frees what was not sent, but never a letter an earlier redrive did send (`again`).
        await record_cut(producer, dlt, chosen - sent - done_before, operator)
        raise
    return RedriveReport(dlt, len(sent), dict(skipped))


async def _send_home(producer: AIOKafkaProducer, letter: ConsumerRecord) -> None:
    await producer.send_and_wait(
        redrive_topic(header(letter, ORIGINAL_TOPIC) or ""),
        value=letter.value,
        key=letter.key,
        headers=redriven_headers(letter),
    )
