"""The retry topics' consumer under a rebalance and slow lookups, on a real Kafka: two consumers
share a topic whose records each take a while to handle. The first is working through a batch
when the second joins (its commits for partitions taken away fail), and neither holds a batch
longer than its poll interval allows: both keep consuming and every record is handled."""

from __future__ import annotations

import asyncio
import secrets
import time
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.structs import ConsumerRecord

from services.census_worker.entrypoints.retry_consumer import RetryConsumer
from services.common.failures import DUE_AT

RECORDS, PARTITIONS = 40, 4
HANDLING_S = 0.25  # a slowed census: 20 records of one poll would take 5 s
MAX_POLL_INTERVAL_MS = 3000  # …longer than the consumer may go without polling


class SlowHandler:
    def __init__(self, name: str, handled: list[tuple[str, int, int]]) -> None:
        self.name, self._handled = name, handled

    async def handle(self, record: ConsumerRecord) -> None:
        await asyncio.sleep(HANDLING_S)
        self._handled.append((self.name, record.partition, record.offset))


async def test_two_consumers_a_rebalance_and_slow_lookups_lose_nothing(
    kafka_bootstrap: str,
) -> None:
    topic, group = f"test.retry.{secrets.token_hex(4)}", f"retry-{secrets.token_hex(4)}"
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, PARTITIONS, 1)])
    finally:
        await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        due = str(int(time.time() * 1000)).encode()
        for n in range(RECORDS):
            await producer.send(topic, b"{}", key=str(n).encode(), headers=[(DUE_AT, due)])
        await producer.flush()
    finally:
        await producer.stop()

    def consumer() -> AIOKafkaConsumer:
        return AIOKafkaConsumer(
            bootstrap_servers=kafka_bootstrap,
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_interval_ms=MAX_POLL_INTERVAL_MS,
            session_timeout_ms=6000,
            heartbeat_interval_ms=500,
        )

    handled: list[tuple[str, int, int]] = []
    first, second = (
        RetryConsumer(
            consumer,
            [topic],
            SlowHandler(name, handled),  # type: ignore[arg-type]
            longest_wait_s=900,
            handling_budget_s=1.0,
        )
        for name in ("first", "second")
    )
    await first.start()
    try:
        async with asyncio.timeout(60):
            while len(handled) < 3:
                await asyncio.sleep(0.05)
        await second.start()  # a rebalance while the first works through its batch
        async with asyncio.timeout(120):
            while len({(p, o) for _, p, o in handled}) < RECORDS:
                await asyncio.sleep(0.1)
        alive = [not task.done() for task in _tasks(first, second)]
    finally:
        await second.stop()
        await first.stop()
    assert alive == [True, True]
    assert {name for name, _, _ in handled} == {"first", "second"}  # both took part


def _tasks(*consumers: RetryConsumer) -> list[Any]:
    return [consumer._task for consumer in consumers]
