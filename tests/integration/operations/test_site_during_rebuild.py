"""`censo ops rebuild` against a running web process: the rebuilt tables equal the live ones, and
the site answers (the JSON API and an ADMIN's page) before, during and after the swap."""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.envelope import encode_event
from schemas.events import Role, UserRegistered, UserRegisteredData
from services.common.kafka import ensure_topics
from services.common.settings import KafkaSettings
from services.operations import commands
from services.web.adapters.tables import operation_runs, web_sessions
from services.web.app import SESSION_COOKIE
from services.web.projection.projector import Projector
from services.web.views.formatting import number
from tests.integration.operations.test_rebuild import (
    cedulas_of_several_accounts,
    project_everything,
    snapshot,
)
from tests.support.events import started, user_registered, validated
from tests.support.infra import free_port, stop_process, wait_for_port
from tests.support.web_sessions import session_data

PEOPLE = 1_000  # three events each
TOKEN = "rebuild-test-api-token"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def web_process(web_db: tuple[str, AsyncEngine], kafka_bootstrap: str) -> Iterator[str]:
    """`censo web serve` without its projector (the test projects), on a free port."""
    port = free_port()
    env = os.environ | {
        "WEB_DATABASE_URL": web_db[0],
        "WEB_PORT": str(port),
        "WEB_API_TOKEN": TOKEN,
        "WEB_SESSION_SECRET": secrets.token_urlsafe(16),
        "WEB_CONSUME": "false",
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "censo"), "web", "serve"], cwd=ROOT, env=env
    )
    try:
        wait_for_port(port, 60, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(process)


def admin_registered() -> UserRegistered:
    return UserRegistered(
        producer="tests",
        data=UserRegisteredData(
            user_id=uuid4(),
            cedula=f"63{secrets.randbelow(10**7):07d}9",
            nombre="Admin Reconstrucción",
            telefono="3001112233",
            referral_code=secrets.token_hex(4).upper(),
            role=Role.ADMIN,
            registered_at=datetime.now(UTC),
        ),
    )


async def publish_all(bootstrap: str, events: list) -> None:
    """Thousands of events through one producer (acknowledged at the end)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5)
    await producer.start()
    try:
        sent = []
        for event in events:
            key, value, _ = encode_event(event)
            sent.append(await producer.send(event.topic, value=value, key=key))
        await asyncio.gather(*sent)
    finally:
        await producer.stop()


async def admin_session(engine: AsyncEngine, admin: UserRegistered) -> str:
    """A logged-in ADMIN's session as the login page stores it (no registration API here)."""
    session_id = secrets.token_hex(16)
    row = {
        "session_id": session_id,
        "data": session_data(admin),
        "expires_at": datetime.now(UTC) + timedelta(hours=1),
    }
    async with engine.begin() as conn:
        await conn.execute(web_sessions.insert().values(row))
    return session_id


class Watch:
    """Requests every ~50 ms, each answer kept with the phase of the rebuild it came in and
    whether it showed what it should."""

    def __init__(self, client: httpx.AsyncClient, expected: dict[str, tuple[str, str]]) -> None:
        self.client, self.expected = client, expected
        self.phase = "before"
        self.answers: list[tuple[str, str, int, bool]] = []
        self.stopped = asyncio.Event()

    async def run(self) -> None:
        while not self.stopped.is_set():
            for name, (path, shown) in self.expected.items():
                phase = self.phase
                response = await self.client.get(path)
                self.answers.append((phase, name, response.status_code, shown in response.text))
            await asyncio.sleep(0.05)

    def failures(self) -> list[tuple[str, str, int, bool]]:
        return [a for a in self.answers if a[2] != 200 or not a[3]]

    def count(self, phase: str) -> int:
        return sum(1 for a in self.answers if a[0] == phase)


async def test_the_site_answers_throughout_a_rebuild_and_the_tables_match(
    web_db: tuple[str, AsyncEngine], web_process: str, kafka_bootstrap: str, monkeypatch
) -> None:
    url, engine = web_db
    await ensure_topics(KafkaSettings(bootstrap_servers=kafka_bootstrap))
    admin = admin_registered()
    people = [user_registered(cedula=f"6300{i:04d}") for i in range(PEOPLE)]
    events = [admin] + [e for p in people for e in (p, started(p), validated(p))]
    await publish_all(kafka_bootstrap, events)
    await project_everything(kafka_bootstrap, Projector(engine))
    watched = people[PEOPLE // 2].data
    session = await admin_session(engine, admin)

    async with httpx.AsyncClient(base_url=web_process, timeout=30) as client:
        client.cookies.set(SESSION_COOKIE, session)
        client.headers["Authorization"] = f"Bearer {TOKEN}"
        watch = Watch(
            client,
            {
                "api": (f"/api/users/{watched.user_id}/census", f'"{watched.cedula}"'),
                "admin page": (f"/admin?busqueda={watched.cedula}", number(int(watched.cedula))),
            },
        )
        asking = asyncio.create_task(watch.run())
        await asyncio.sleep(0.5)
        watch.phase = "during"
        monkeypatch.setenv("WEB_DATABASE_URL", url)
        settings = KafkaSettings(bootstrap_servers=kafka_bootstrap)
        await commands.rebuild(settings, batch_size=500, keep_old=True)
        watch.phase = "after"
        await asyncio.sleep(0.5)
        watch.stopped.set()
        await asyncio.wait_for(asking, 30)

    assert watch.failures() == []
    assert min(watch.count("before"), watch.count("during"), watch.count("after")) >= 2
    async with engine.connect() as conn:
        retired = await conn.scalar(
            text("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'retired_%'")
        )
        run = (await conn.execute(select(operation_runs))).one()
    shared = await cedulas_of_several_accounts(kafka_bootstrap)
    assert await snapshot(engine, "public", shared) == await snapshot(engine, retired, shared)
    assert (run.kind, run.status) == ("rebuild", "succeeded")
    assert run.total and run.done == run.total >= len(events)
