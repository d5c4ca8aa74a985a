"""Three brokers of the project's own Kafka on one machine: topics created by the project at
replication 3 and min.insync 2, and a broker killed while a numbered sequence is published (then
started again) loses nothing and reorders nothing per key."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from typer.testing import CliRunner

from infra.local.kafka_cluster import KafkaCluster, RunningCluster
from schemas.topics import ALL_TOPICS, CENSUS_RESULTS
from services.common.kafka import (
    ensure_topics,
    kafka_admin,
    kafka_consumer,
    kafka_producer,
    wait_for_kafka,
)
from services.common.settings import KafkaSettings
from services.operations.cli import app as ops_app
from tests.reliability.support import ScenarioResult, size
from tests.support.infra import free_port, wait_for_port

pytestmark = pytest.mark.chaos_only  # about a minute even at its quick size


BROKERS = 3
KEYS = 12


@pytest.fixture(scope="module")
def cluster(infra_dir: Path) -> Iterator[RunningCluster]:
    folder = infra_dir / f"kafka-cluster-{free_port()}"
    ports = [(free_port(), free_port()) for _ in range(BROKERS)]
    running = RunningCluster(KafkaCluster.on_ports(folder, ports), folder)
    running.start_all()
    try:
        for node in running.cluster.nodes:
            wait_for_port(node.port, process=running.processes[node.node_id])
        yield running
    finally:
        running.stop_all()


@pytest.fixture(scope="module")
async def settings(cluster: RunningCluster) -> KafkaSettings:
    """Settings as a production deployment sets them, topics created the project's way."""
    settings = KafkaSettings(
        bootstrap_servers=cluster.cluster.bootstrap_servers,
        replication_factor=3,
        min_insync_replicas=2,
        startup_timeout_s=60,
    )
    await wait_for_kafka(settings)
    await ensure_topics(settings)
    return settings


def test_topics_are_created_at_replication_3_and_min_insync_2(settings: KafkaSettings) -> None:
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": settings.bootstrap_servers,
        "KAFKA_REPLICATION_FACTOR": "3",
        "KAFKA_MIN_INSYNC_REPLICAS": "2",
    }
    checked = CliRunner().invoke(ops_app, ["topics", "--check"], env=env)
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.split()[0] == str(len(ALL_TOPICS))


async def test_kafka_broker_killed_in_a_three_broker_cluster(
    cluster: RunningCluster, settings: KafkaSettings, scenario: ScenarioResult
) -> None:
    """One of three brokers killed while records are published, then started again"""
    pace_s, down_at_s = size("cluster_pace_s", 0.01, 0.002), size("cluster_down_at_s", 5, 10)
    producer = kafka_producer(settings, "test")
    assert producer._txn_manager is not None  # the factory's producer is idempotent (acks=all)
    victim = await _leader_of(settings, CENSUS_RESULTS.name, 0)
    await producer.start()
    started = time.monotonic()
    try:
        outage = asyncio.create_task(_outage(cluster, victim, down_at_s))
        sent = await _publish_until(producer, outage, pace_s)
        down_s = outage.result()
    finally:
        await producer.stop()
    published_s = time.monotonic() - started
    received = await _read_all(settings, sent)
    per_key: dict[str, list[int]] = defaultdict(list)
    for key, number in received:
        per_key[key].append(number)
    in_order = sum(numbers == sorted(set(numbers)) for numbers in per_key.values())
    scenario.injected = (
        f"broker {victim} of 3 (the leader of {CENSUS_RESULTS.name}-0) SIGKILLed {down_at_s:g} s "
        f"into the run, started again at once; down {down_s:.1f} s until it listened again"
    )
    scenario.checked = (
        "topics at RF 3, min.insync 2 (`censo ops topics --check`); the factory's idempotent "
        f"acks=all producer; every record read back, each of {KEYS} keys in order, no duplicate"
    )
    scenario.sent, scenario.delivered = sent, len(set(received))
    scenario.duplicated = len(received) - len(set(received))
    scenario.lost = sent - len(set(received))
    scenario.sizes = {"pace_s": pace_s, "down_at_s": down_at_s, "keys": KEYS}
    scenario.notes = f"{sent} records published in {published_s:.1f} s; broker down {down_s:.1f} s"
    print(f"\n{scenario.injected}; {scenario.notes}")
    assert len(received) == sent and in_order == KEYS
    assert sorted(received) == sorted(_sequence(sent))


async def _outage(cluster: RunningCluster, node_id: int, down_at_s: float) -> float:
    """Kill `node_id` after `down_at_s` and start it again; how long it was not listening."""
    await asyncio.sleep(down_at_s)
    cluster.kill(node_id)
    killed = time.monotonic()
    process = cluster.start(node_id)
    await asyncio.to_thread(wait_for_port, cluster.cluster.node(node_id).port, 90.0, process)
    return time.monotonic() - killed


async def _publish_until(
    producer: AIOKafkaProducer, outage: asyncio.Task[float], pace_s: float
) -> int:
    """Record n goes to key n % KEYS as `key:n // KEYS`, until the broker has been back 3 s;
    every send is awaited."""
    pending = []
    back_at: float | None = None
    n = 0
    while back_at is None or time.monotonic() - back_at < 3:
        key, value = _record(n)
        pending.append(await producer.send(CENSUS_RESULTS.name, value.encode(), key=key.encode()))
        n += 1
        await asyncio.sleep(pace_s)
        if back_at is None and outage.done():
            back_at = time.monotonic()
    await asyncio.gather(*pending)
    return n


def _record(n: int) -> tuple[str, str]:
    key = f"k{n % KEYS}"
    return key, f"{key}:{n // KEYS}"


def _sequence(count: int) -> list[tuple[str, int]]:
    return [(f"k{n % KEYS}", n // KEYS) for n in range(count)]


async def _read_all(settings: KafkaSettings, count: int) -> list[tuple[str, int]]:
    consumer = kafka_consumer(settings, "test", CENSUS_RESULTS.name, auto_offset_reset="earliest")
    await consumer.start()
    records: list[tuple[str, int]] = []
    try:
        deadline = time.monotonic() + 60
        while len(records) < count and time.monotonic() < deadline:
            for batch in (await consumer.getmany(timeout_ms=2_000)).values():
                for record in batch:
                    key, number = record.value.decode().split(":")
                    records.append((key, int(number)))
    finally:
        await consumer.stop()
    return records


async def _leader_of(settings: KafkaSettings, topic: str, partition: int) -> int:
    admin = kafka_admin(settings, "test")
    await admin.start()
    try:
        (description,) = await admin.describe_topics([topic])
    finally:
        await admin.close()
    (found,) = [p for p in description["partitions"] if p["partition"] == partition]
    return int(found["leader"])
