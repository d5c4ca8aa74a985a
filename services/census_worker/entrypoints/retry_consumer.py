"""Consumes the retry topics without blocking: a partition whose head record is not yet due is
paused (and rewound to that record) until it is, so the poll loop keeps running and
`max.poll.interval.ms` is never exceeded. A rebalance resumes everything from committed offsets.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.structs import ConsumerRecord

from services.census_worker.entrypoints.records import RecordHandler
from services.common.failures import DUE_AT, header
from services.common.logging import bound_context, record_ids

log = structlog.get_logger(__name__)


class _ResumeOnRebalance(ConsumerRebalanceListener):  # type: ignore[misc]  # aiokafka: untyped
    def __init__(self, paused: dict[TopicPartition, float]) -> None:
        self._paused = paused

    async def on_partitions_revoked(self, revoked: list[TopicPartition]) -> None:
        for tp in revoked:
            self._paused.pop(tp, None)

    async def on_partitions_assigned(self, assigned: list[TopicPartition]) -> None:
        for tp in assigned:
            self._paused.pop(tp, None)


class RetryConsumer:
    """`make_consumer` is called at start, so a worker that never starts holds no Kafka client.

    `longest_wait_s`: the longest retry delay the policy sets; a record claiming to be due later
    than that after it was parked (a forged or corrupted header) is due then instead of never.
    """

    def __init__(
        self,
        make_consumer: Callable[[], AIOKafkaConsumer],
        topics: list[str],
        handler: RecordHandler,
        longest_wait_s: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._make_consumer = make_consumer
        self._longest_wait_s = longest_wait_s
        self._consumer: AIOKafkaConsumer | None = None
        self._topics = topics
        self._handler = handler
        self._clock = clock
        self._paused: dict[TopicPartition, float] = {}  # partition → due time (epoch seconds)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        consumer = self._consumer = self._make_consumer()
        consumer.subscribe(self._topics, listener=_ResumeOnRebalance(self._paused))
        await consumer.start()
        self._task = asyncio.create_task(self._run(consumer), name="census-retry-consumer")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._consumer is not None:
            await self._consumer.stop()

    async def _run(self, consumer: AIOKafkaConsumer) -> None:
        while True:
            self._resume_due(consumer)
            batches = await consumer.getmany(timeout_ms=200, max_records=20)
            await asyncio.gather(
                *(self._drain(consumer, tp, records) for tp, records in batches.items())
            )

    async def _drain(
        self, consumer: AIOKafkaConsumer, tp: TopicPartition, records: list[ConsumerRecord]
    ) -> None:
        for record in records:
            due = self._due_at(record)
            if due > self._clock():
                consumer.pause(tp)
                consumer.seek(tp, record.offset)
                self._paused[tp] = due
                return
            with bound_context(**record_ids(record)):
                try:
                    await self._handler.handle(record)
                except Exception:  # Kafka unreachable while publishing: try this record again
                    log.exception("census.retry_failed", topic=tp.topic, offset=record.offset)
                    consumer.seek(tp, record.offset)
                    await asyncio.sleep(1.0)
                    return
            await consumer.commit({tp: record.offset + 1})

    def _resume_due(self, consumer: AIOKafkaConsumer) -> None:
        now = self._clock()
        due = [tp for tp, at in self._paused.items() if at <= now]
        for tp in due:
            del self._paused[tp]
        if due:
            consumer.resume(*due)

    def _due_at(self, record: ConsumerRecord) -> float:
        parked_at_s: float = record.timestamp / 1000
        due, latest = _due_header(record), parked_at_s + self._longest_wait_s
        if due > latest:
            log.warning(
                "census.retry_due_header_too_far",
                topic=record.topic,
                offset=record.offset,
                due_in_s=round(latest - self._clock()),
            )
        return min(due, latest)


def _due_header(record: ConsumerRecord) -> float:
    value = header(record, DUE_AT)
    try:
        return int(value) / 1000 if value else 0.0
    except OverflowError:  # digits beyond any date: as far as can be, so bounded by the caller
        return float("inf")
    except ValueError:
        log.warning("census.retry_bad_due_header", topic=record.topic, offset=record.offset)
        return 0.0
