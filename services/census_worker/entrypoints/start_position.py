"""Where the worker starts reading a partition its group has no committed offset for: a new
group, or one idle longer than the brokers keep offsets (`offsets.retention.minutes`, 7 days by
default). `earliest` would then read `accounts.events` (kept forever) from the beginning and look
up every person ever registered again, each a paid captcha; the worker starts instead at the first
record younger than WORKER_UNREAD_LOOKBACK_S (a day), so what arrived while it was away is served
and history is not."""

from __future__ import annotations

import time
from collections.abc import Sequence

import structlog
from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition

log = structlog.get_logger(__name__)


class StartWithinLookback(ConsumerRebalanceListener):  # type: ignore[misc]  # aiokafka is untyped
    def __init__(self, lookback_s: float) -> None:
        self._lookback_s = lookback_s
        self._subscriber: object = None

    def read_from(self, subscriber: object) -> None:
        """The FastStream subscriber whose consumers (all sharing this listener) it positions."""
        self._subscriber = subscriber

    def _consumers(self) -> Sequence[AIOKafkaConsumer]:
        several = getattr(self._subscriber, "consumer_subgroup", None)
        one = getattr(self._subscriber, "consumer", None)
        return several or ([one] if one is not None else [])

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        """Nothing to do: offsets are committed as records are handled."""

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        # The consumer resets a partition without a committed offset to its end ("latest"), so
        # history is never handed out; paused before the first await, so that records are not
        # handed out either before the partition is moved back to the lookback.
        mine = [(c, assigned & c.assignment()) for c in self._consumers()]
        mine = [(consumer, partitions) for consumer, partitions in mine if partitions]
        for consumer, partitions in mine:
            consumer.pause(*partitions)
        try:
            since_ms = int((time.time() - self._lookback_s) * 1000)
            for consumer, partitions in mine:
                for partition in partitions:
                    if await consumer.committed(partition) is None:
                        await self._start(consumer, partition, since_ms)
        finally:
            for consumer, partitions in mine:
                consumer.resume(*(partitions & consumer.assignment()))  # unless revoked meanwhile

    async def _start(
        self, consumer: AIOKafkaConsumer, partition: TopicPartition, since_ms: int
    ) -> None:
        found = (await consumer.offsets_for_times({partition: since_ms})).get(partition)
        if found is None:  # nothing that recent: only what comes from now on
            await consumer.seek_to_end(partition)
        else:
            consumer.seek(partition, found.offset)
        log.info(
            "census.partition_started_without_offset",
            topic=partition.topic,
            partition=partition.partition,
            lookback_s=self._lookback_s,
            offset=None if found is None else found.offset,
        )
