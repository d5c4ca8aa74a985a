"""The web read model's database stops for a while and comes back while events keep arriving:
the projector resumes where it stopped, skipping nothing and applying nothing twice."""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path

from schemas.envelope import Event
from services.web.entrypoints.subscribers import PROJECTED_TOPICS
from tests.reliability.support import (
    ScenarioResult,
    StoppablePostgres,
    cedulas,
    publish_events,
    query,
    size,
    wait_until,
)
from tests.support.events import started, user_registered, validated
from tests.support.infra import free_port
from tests.support.kafka import start_group_at_end
from tests.support.processes import ServiceProcess

TOPICS = [spec.name for spec in PROJECTED_TOPICS]  # what the web projector consumes


async def test_web_database_outage(
    scenario: ScenarioResult,
    stoppable_postgres: StoppablePostgres,
    reliability_kafka: str,
    tmp_path: Path,
) -> None:
    """Web read-model database stopped while events keep arriving"""
    users = int(size("web_outage_users", 80, 500))
    outage_s = size("web_outage_s", 8, 30)
    group = f"web-{secrets.token_hex(4)}"
    await start_group_at_end(reliability_kafka, group, TOPICS)
    url = stoppable_postgres.database("web")
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
    registered = [user_registered(cedula) for cedula in cedulas(users, start=6_000_000)]
    events: list[Event] = []
    for user in registered:
        events += [user, started(user), validated(user)]
    answers = {str(e.event_id) for e in events if e.type == "CedulaValidated"}
    # Spread the publishing over the outage: a third before it, the rest during and after.
    pause_s = (outage_s * 1.5) / len(events)
    try:
        web.wait_http(f"http://127.0.0.1:{port}/health")
        publishing = asyncio.create_task(publish_events(reliability_kafka, events, pause_s))
        await asyncio.sleep(outage_s / 2)
        stoppable_postgres.stop()
        await asyncio.sleep(outage_s)  # the deliberate outage
        stoppable_postgres.start()
        last_offsets = await publishing

        async def caught_up() -> bool:
            rows = await query(url, 'SELECT topic, partition, "offset" FROM projection_positions')
            return {(r["topic"], r["partition"]): r["offset"] for r in rows} == last_offsets

        await wait_until(caught_up, 600, "projection positions at the last offsets")
        assert web.process is not None and web.process.poll() is None, web.tail()
    finally:
        web.stop()

    history = await query(url, "SELECT event_id::text AS id FROM census_history")
    history_ids = [row["id"] for row in history]
    status = await query(url, "SELECT status, request_id::text AS r FROM census_status")
    stored_users = (await query(url, "SELECT count(*) AS n FROM users"))[0]["n"]
    assert stored_users == users
    assert set(history_ids) == answers and len(history_ids) == len(answers)
    assert len(status) == users
    assert {row["status"] for row in status} == {"ACTIVE"}
    assert {row["r"] for row in status} == {str(u.event_id) for u in registered}
    scenario.injected = f"web PostgreSQL stopped for {outage_s:.0f} s while events were published"
    scenario.checked = (
        "projection_positions end exactly at the last offset of every partition written; users, "
        "census_status (one ACTIVE row per cédula, answering its request) and census_history "
        "(one row per CedulaValidated event) equal the published set; the web process stays up"
    )
    scenario.sizes = {"users": users, "events": len(events), "outage_s": outage_s}
    scenario.sent = len(events)
    scenario.delivered = len(events)
    scenario.lost = len(answers - set(history_ids))
    scenario.duplicated = len(history_ids) - len(set(history_ids))
    scenario.notes = f"{users} users × (UserRegistered, ValidationStarted, CedulaValidated)"
