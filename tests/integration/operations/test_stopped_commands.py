"""An operator's long command stopped with SIGTERM leaves nothing half-done: a rebuild drops its
own schema, its run is marked failed, the failure is in ops.audit, and the process says so in
one line and exits 143."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable

from aiokafka import AIOKafkaProducer
from sqlalchemy import text

from schemas import topics
from schemas.envelope import encode_event
from services.common.db import make_engine
from services.common.migrations import migrate
from services.web.projection.rebuild import WEB_MIGRATIONS
from tests.support.events import user_registered
from tests.support.kafka import read_topic
from tests.support.processes import CENSO

EVENTS = 3000


async def fill_accounts(bootstrap: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=20)
    await producer.start()
    try:
        for index in range(EVENTS):
            event = user_registered(cedula=f"64{index:06d}")
            key, value, _ = encode_event(event)
            await producer.send(topics.ACCOUNTS.name, value, key=key)
        await producer.flush()
    finally:
        await producer.stop()


async def test_a_rebuild_stopped_by_sigterm_leaves_nothing_half_done(
    kafka_bootstrap: str, create_database: Callable[[str], str]
) -> None:
    url = create_database("web_stopped")
    engine = make_engine(url, pool_size=2)
    await migrate(engine, WEB_MIGRATIONS)
    await fill_accounts(kafka_bootstrap)
    audits_before = len(await read_topic(kafka_bootstrap, topics.OPS_AUDIT.name))
    env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "WEB_DATABASE_URL": url}
    process = subprocess.Popen(
        [CENSO, "ops", "rebuild", "--batch", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # stopped once it has replayed a little
            async with engine.connect() as conn:
                done = await conn.scalar(
                    text("SELECT max(done) FROM operation_runs WHERE status = 'running'")
                )
            if done:
                break
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    async with engine.connect() as conn:
        schemas = (
            await conn.execute(
                text("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rebuild_%'")
            )
        ).all()
        runs = (await conn.execute(text("SELECT status, message FROM operation_runs"))).all()
    await engine.dispose()
    audits = [
        json.loads(r.value)["data"]
        for r in (await read_topic(kafka_bootstrap, topics.OPS_AUDIT.name))[audits_before:]
    ]
    assert process.returncode == 143, stderr
    last_line = stderr.strip().splitlines()[-1]  # after the log lines, on stderr too
    assert last_line == "censo: stopped by SIGTERM; nothing half-done was left behind"
    assert "Traceback" not in stderr
    assert schemas == []
    assert [status for status, _ in runs] == ["failed"]
    assert any(a["action"] == "rebuild.failed" for a in audits)
