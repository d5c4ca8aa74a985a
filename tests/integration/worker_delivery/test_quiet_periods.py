"""A census worker group with no committed offsets (new, or idle longer than the brokers keep
offsets) does not read `accounts.events` from the beginning and look up everyone ever registered
again: it starts WORKER_UNREAD_LOOKBACK_S back, so what arrived while it was away is served and
older history is not."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from schemas import topics
from schemas.envelope import encode_event
from services.census_worker.app import create_app
from services.census_worker.settings import WorkerSettings
from services.common.kafka import ensure_topics, kafka_producer
from services.common.settings import KafkaSettings
from tests.support.accounts import new_cedula
from tests.support.events import user_registered
from tests.support.fakes import ScriptedSource
from tests.support.infra import running_kafka

HOUR_MS = 3_600_000


async def publish_registered(kafka: KafkaSettings, cedula: str, age_ms: int) -> None:
    key, value = encode_event(user_registered(cedula=cedula))[:2]
    producer = kafka_producer(kafka, "test")
    await producer.start()
    try:
        stamp = int(time.time() * 1000) - age_ms  # as if written that long ago
        await producer.send_and_wait(topics.ACCOUNTS.name, value, key, timestamp_ms=stamp)
    finally:
        await producer.stop()


@pytest.fixture
def own_kafka(infra_dir: Path) -> Iterator[str]:
    """A broker of the test's own: on the session's, any other test's sign-up of the last
    minutes comes before this test's old record, so the first recent offset would precede it
    and the worker would rightly read it too."""
    with running_kafka(infra_dir) as node:
        yield node.bootstrap_servers


async def test_a_group_without_offsets_serves_what_is_recent_and_not_history(
    own_kafka: str, create_database: Callable[[str], str]
) -> None:
    kafka = KafkaSettings(bootstrap_servers=own_kafka)
    await ensure_topics(kafka)
    long_ago, while_away = new_cedula(), new_cedula()
    await publish_registered(kafka, long_ago, age_ms=3 * HOUR_MS)
    await publish_registered(kafka, while_away, age_ms=0)
    source = ScriptedSource()
    settings = WorkerSettings(
        group_id=f"worker-quiet-{secrets.token_hex(4)}",  # no committed offsets at all
        unread_lookback_s=120,
        min_interval_s=0,
        blocked_cooldown_s=0,
        fresh_for=0,
        metrics_port=0,
        database_url=create_database("census_worker"),
    )
    app = create_app([source], settings, kafka)
    await app.start()
    try:
        async with asyncio.timeout(90):
            while while_away not in source.calls:
                await asyncio.sleep(0.1)
        await asyncio.sleep(2)  # time enough for the older record, were it read
    finally:
        await app.stop()
    assert long_ago not in source.calls
