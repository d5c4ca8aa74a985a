"""Which dead letters were redriven already, kept on ops.audit: Kafka records cannot be marked.

Each redrive's audit record (written before anything is sent) lists, in `details["letters"]`, the
letters it is about to send as `partition:first-last` ranges; a redrive cut midway records the
letters it did not send (action `dlt.redrive.cut`), which frees them again. ops.audit is kept
forever, so the marks live as long as the letters (30 days) and longer.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable

from aiokafka import AIOKafkaProducer

from schemas import topics
from schemas.envelope import EventDecodeError, decode_event
from schemas.events import EVENT_TYPES, OperatorActionRecorded
from services.kafka_admin.audit import record_action
from services.kafka_admin.browse import RecordFilter, records
from services.kafka_admin.clients import KafkaClients

REDRIVE = "dlt.redrive"
CUT = "dlt.redrive.cut"
# One audit record's list of letters stays far under the event size limit; more letters take
# more records (all written before the redrive sends anything).
MAX_LETTERS_CHARS = 100_000

MAX_RANGE = 1_000_000  # more than a dead-letter topic keeps: a longer range is not ours

Spot = tuple[int, int]  # (partition, offset) of a dead letter


def spot_texts(spots: Iterable[Spot]) -> list[str]:
    """The spots as `p:a-b` ranges, comma-separated, split into texts of bounded length."""
    ranges: list[str] = []
    for partition, first, last in _runs(sorted(spots)):
        ranges.append(f"{partition}:{first}" if first == last else f"{partition}:{first}-{last}")
    texts: list[str] = []
    current = ""
    for part in ranges:
        if current and len(current) + 1 + len(part) > MAX_LETTERS_CHARS:
            texts.append(current)
            current = ""
        current = f"{current},{part}" if current else part
    return [*texts, current] if current else texts


def _runs(spots: list[Spot]) -> Iterable[tuple[int, int, int]]:
    run: list[int] | None = None
    for partition, offset in spots:
        if run is not None and run[0] == partition and run[2] + 1 == offset:
            run[2] = offset
            continue
        if run is not None:
            yield run[0], run[1], run[2]
        run = [partition, offset, offset]
    if run is not None:
        yield run[0], run[1], run[2]


def parse_spots(text: str) -> set[Spot]:
    """The spots a `spot_texts` text names; anything unreadable names none."""
    spots: set[Spot] = set()
    for part in filter(None, text.split(",")):
        partition, _, span = part.partition(":")
        first, _, last = span.partition("-")
        try:
            low, high = int(first), int(last or first)
            if high - low > MAX_RANGE:
                continue
            spots.update((int(partition), offset) for offset in range(low, high + 1))
        except ValueError:
            continue
    return spots


async def redriven_before(clients: KafkaClients, dlt: str) -> set[Spot]:
    """The letters of `dlt` that earlier redrives sent (or began to send) back."""
    done: set[Spot] = set()
    async for record in records(clients, topics.OPS_AUDIT.name, RecordFilter()):
        try:
            event = decode_event(record.value or b"", EVENT_TYPES)
        except EventDecodeError:
            continue
        if not isinstance(event, OperatorActionRecorded) or event.data.target != dlt:
            continue
        if event.data.action == REDRIVE:
            done |= parse_spots(event.data.details.get("letters", ""))
        elif event.data.action == CUT:
            done -= parse_spots(event.data.details.get("letters", ""))
    return done


async def record_redrive(
    producer: AIOKafkaProducer,
    dlt: str,
    chosen: set[Spot],
    operator: str | None,
    again: bool,
    **counts: str,
) -> None:
    """The audit of a redrive about to send `chosen`: one record per bounded list of letters
    (usually one), every one written before any letter goes."""
    extra = {"again": "yes"} if again else {}
    texts = spot_texts(chosen) or [""]
    for index, text in enumerate(texts, 1):
        part = {"part": f"{index}/{len(texts)}"} if len(texts) > 1 else {}
        await record_action(
            producer, REDRIVE, dlt, len(chosen), operator, **counts, **extra, **part, letters=text
        )


async def record_cut(
    producer: AIOKafkaProducer, dlt: str, unsent: set[Spot], operator: str | None
) -> None:
    """Best effort: frees the letters a failed redrive did not send (Kafka may be gone)."""
    with contextlib.suppress(Exception):
        async with asyncio.timeout(5):
            for text in spot_texts(unsent):
                await record_action(producer, CUT, dlt, len(unsent), operator, letters=text)
