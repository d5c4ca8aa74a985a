"""The one migration runner, for both databases: processes that migrate at the same time (an API
and its relay, several web processes) take turns and leave the schema at one head."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from services.common.db import make_engine
from services.common.migrations import alembic_config, migration_lock_key
from services.registration.migrations import MIGRATIONS as REGISTRATION_MIGRATIONS
from services.web.bootstrap import MIGRATIONS as WEB_MIGRATIONS

SERVICES = {"registration": REGISTRATION_MIGRATIONS, "web": WEB_MIGRATIONS}
# One migrating process: imports everything, says so, and migrates when told to go.
MIGRATING_PROCESS = """
import asyncio, sys
from pathlib import Path
from services.common.db import make_engine
from services.common.migrations import migrate

async def main(url: str, migrations: str) -> None:
    engine = make_engine(url, pool_size=1)
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        await migrate(engine, Path(migrations))
    finally:
        await engine.dispose()

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def test_each_service_migrates_under_a_lock_of_its_own() -> None:
    keys = {name: migration_lock_key(path) for name, path in SERVICES.items()}
    assert len(set(keys.values())) == len(SERVICES)
    assert keys["web"] == migration_lock_key(Path(str(WEB_MIGRATIONS)))  # stable, not per object


@pytest.mark.parametrize("service", list(SERVICES))
async def test_two_processes_migrating_a_fresh_database_at_once_both_succeed(
    service: str, create_database: Callable[[str], str]
) -> None:
    migrations = SERVICES[service]
    url = create_database(f"{service}_migrate")
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", MIGRATING_PROCESS, url, str(migrations)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for process in processes:  # both started and connected-to-be: now at the same moment
            assert process.stdout is not None and process.stdout.readline() == "ready\n"
        for process in processes:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        results = [
            await asyncio.to_thread(process.communicate, timeout=60) for process in processes
        ]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert [process.returncode for process in processes] == [0, 0], [err for _, err in results]
    assert await _versions(url) == [
        ScriptDirectory.from_config(alembic_config(migrations)).get_current_head()
    ]


async def _versions(url: str) -> list[str]:
    engine = make_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
    finally:
        await engine.dispose()
    return [version for (version,) in rows]
