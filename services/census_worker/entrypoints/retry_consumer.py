"""Consumes the retry topics without blocking: a partition whose head record is not yet due is
paused (and rewound to that record) until it is, so the poll loop keeps running. A batch is worked
on for at most `handling_budget_s` (well inside `max.poll.interval.ms`) before polling again; the
rest is rewound. A rebalance resumes everything from committed offsets: records of a partition
taken away meanwhile are left to its new owner, and a commit that fails (the group moved on) only
means the record is delivered again. Nothing ends the loop but `stop()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import KafkaError
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
        handling_budget_s: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._make_consumer = make_consumer
        self._longest_wait_s = longest_wait_s
        self._budget_s, self._monotonic = handling_budget_s, monotonic
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
        failures = 0
        while True:
            try:
                await self._poll_once(consumer)
                failures = 0
            except Exception:  # never a silent end: log, pause, poll again
                failures += 1
                log.exception("census.retry_loop_failed", failures=failures)
                await asyncio.sleep(min(0.5 * 2**failures, 30.0))

    async def _poll_once(self, consumer: AIOKafkaConsumer) -> None:
        self._resume_due(consumer)
        batches = await consumer.getmany(timeout_ms=200, max_records=20)
        deadline = self._monotonic() + self._budget_s
        await asyncio.gather(
            *(self._drain(consumer, tp, records, deadline) for tp, records in batches.items())
        )

    async def _drain(
        self,
        consumer: AIOKafkaConsumer,
        tp: TopicPartition,
        records: list[ConsumerRecord],
        deadline: float,
    ) -> None:
        for record in records:
            if tp not in consumer.assignment():
                return  # taken away by a rebalance: its new owner starts from the commit
            if self._monotonic() > deadline:
                consumer.seek(tp, record.offset)  # poll first; this record comes again
                return
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
            try:
                await consumer.commit({tp: record.offset + 1})
            except KafkaError as exc:  # the group moved on: the record may be handled again
                log.warning(
                    "census.retry_commit_failed",
                    topic=tp.topic,
                    offset=record.offset,
                    error=type(exc).__name__,
                )
                return

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
