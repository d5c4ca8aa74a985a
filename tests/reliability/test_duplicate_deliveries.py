"""Recorded events delivered again, thousands of times over (as a relay re-sending after a
crash or an operator re-producing records would): the read tables do not change at all."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable
from pathlib import Path

from aiokafka import AIOKafkaProducer

from services.web.entrypoints.subscribers import PROJECTED_TOPICS
from tests.reliability.support import (
    ScenarioResult,
    cedulas,
    publish_events,
    query,
    size,
    wait_until,
)
from tests.support.events import started, user_registered, validated
from tests.support.infra import free_port
from tests.support.kafka import read_topic, start_group_at_end
from tests.support.processes import ServiceProcess

TOPICS = [spec.name for spec in PROJECTED_TOPICS]  # what the web projector consumes
DUMPS = {
    "users": "SELECT * FROM users ORDER BY user_id",
    "census_status": "SELECT * FROM census_status ORDER BY cedula",
    "census_history": "SELECT * FROM census_history ORDER BY event_id",
}


async def dump(url: str) -> dict[str, list[dict]]:
    return {table: await query(url, sql) for table, sql in DUMPS.items()}


async def test_duplicate_deliveries(
    scenario: ScenarioResult,
    reliability_kafka: str,
    create_database: Callable[[str], str],
    tmp_path: Path,
) -> None:
    """Recorded events delivered again thousands of times"""
    users = int(size("duplicate_users", 50, 300))
    duplicates = int(size("duplicate_deliveries", 800, 10_000))
    group = f"web-{secrets.token_hex(4)}"
    await start_group_at_end(reliability_kafka, group, TOPICS)
    url = create_database("web")
    port = free_port()
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": reliability_kafka,
        "WEB_DATABASE_URL": url,
        "WEB_PORT": str(port),
        "WEB_PROJECTOR_GROUP_ID": group,
        "WEB_SESSION_SECRET": secrets.token_urlsafe(32),
        "PYTHONUNBUFFERED": "1",
    }
    web = ServiceProcess("web", ["web", "serve"], env, tmp_path).start()
    events = []
    for user in (user_registered(c) for c in cedulas(users, start=9_000_000)):
        events += [user, started(user), validated(user)]
    ids = {str(e.event_id) for e in events}
    try:
        web.wait_http(f"http://127.0.0.1:{port}/health")
        last = await publish_events(reliability_kafka, events, 0)
        await wait_until(lambda: _positions_at(url, last), 120, "the first delivery projected")
        before = await dump(url)

        recorded = [
            r
            for topic in TOPICS
            for r in await read_topic(reliability_kafka, topic)
            if _event_id(r) in ids
        ]
        assert len(recorded) == len(events)
        last = await republish(reliability_kafka, recorded, duplicates)
        await wait_until(lambda: _positions_at(url, last), 1200, "the duplicates consumed")
        after = await dump(url)
    finally:
        web.stop()

    for table in DUMPS:
        assert after[table] == before[table], f"{table} changed under duplicate deliveries"
    assert len(before["users"]) == users and len(before["census_history"]) == users
    scenario.injected = (
        f"{duplicates} extra deliveries of {len(events)} recorded events (UserRegistered, "
        "ValidationStarted, CedulaValidated), re-produced with their keys, bodies and headers"
    )
    scenario.checked = (
        "full dumps of users, census_status and census_history (every column, updated_at "
        "included) identical before and after; the projector consumed up to the last duplicate"
    )
    scenario.sizes = {"users": users, "duplicate_deliveries": duplicates}
    scenario.sent = len(events) + duplicates
    scenario.delivered = len(events)
    scenario.duplicated = duplicates
    scenario.notes = f"rows compared: {sum(len(rows) for rows in before.values())}, none changed"


async def republish(bootstrap: str, recorded: list, count: int) -> dict[tuple[str, int], int]:
    """Produce `count` copies of the recorded records, cycling through them in their order."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=20, acks="all")
    await producer.start()
    last: dict[tuple[str, int], int] = {}
    try:
        futures = [
            await producer.send(r.topic, r.value, key=r.key, headers=list(r.headers))
            for r in itertools.islice(itertools.cycle(recorded), count)
        ]
        for future in futures:
            sent = await future
            last[(sent.topic, sent.partition)] = max(
                sent.offset, last.get((sent.topic, sent.partition), -1)
            )
    finally:
        await producer.stop()
    return last


def _event_id(record) -> str:  # type: ignore[no-untyped-def]
    return next((v.decode() for k, v in record.headers if k == "ce_id"), "")


async def _positions_at(url: str, last: dict[tuple[str, int], int]) -> bool:
    rows = await query(url, 'SELECT topic, partition, "offset" FROM projection_positions')
    stored = {(r["topic"], r["partition"]): r["offset"] for r in rows}
    return all(stored.get(tp, -1) >= offset for tp, offset in last.items())
