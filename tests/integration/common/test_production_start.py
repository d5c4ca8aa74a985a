"""Production start-up: `censo web migrate` brings the read model to the newest revision, and in
production the web and the registration API never migrate at start: on a schema behind the code
they refuse to start with one line naming the command to run."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable

from sqlalchemy import text

from services.common.db import make_engine
from services.common.migrations import (
    SchemaNotCurrent,
    alembic_config,
    migrate,
    require_current_schema,
)
from services.web.bootstrap import MIGRATIONS as WEB_MIGRATIONS
from tests.support.infra import free_port

CENSO = "from services.cli import main; main()"
PRODUCTION_WEB = {
    "WEB_ENVIRONMENT": "production",
    "WEB_SESSION_SECRET": "a-secret-for-the-test",
    "REGISTRATION_SERVICE_TOKEN": "a-token-for-the-test",
    "WEB_SECURE_COOKIES": "true",
    "WEB_CONSUME": "false",
}


def censo(*args: str, **env: str) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-c", CENSO, *args],
        env=os.environ | {"LOG_LEVEL": "WARNING"} | env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.returncode, done.stdout, done.stderr


async def versions(url: str) -> list[str]:
    engine = make_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            if (await conn.scalar(text("SELECT to_regclass('alembic_version')"))) is None:
                return []
            return list(
                (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars()
            )
    finally:
        await engine.dispose()


def web_head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(WEB_MIGRATIONS)).get_current_head()


async def test_censo_web_migrate_brings_the_read_model_to_the_newest_revision(
    create_database: Callable[[str], str],
) -> None:
    url = create_database("web_migrate_cli")
    code, out, err = await asyncio.to_thread(censo, "web", "migrate", WEB_DATABASE_URL=url)
    assert code == 0, err
    assert "web database at revision head" in out
    assert await versions(url) == [web_head()]


async def test_an_unknown_revision_is_a_usage_error(create_database: Callable[[str], str]) -> None:
    url = create_database("web_migrate_cli")
    code, _, err = await asyncio.to_thread(censo, "web", "migrate", "9999", WEB_DATABASE_URL=url)
    assert code == 2 and "unknown revision '9999'" in err


async def test_production_web_refuses_a_schema_behind_the_code_in_one_line(
    create_database: Callable[[str], str],
) -> None:
    url = create_database("web_production")
    env = PRODUCTION_WEB | {"WEB_DATABASE_URL": url, "WEB_PORT": str(free_port())}
    code, _, err = await asyncio.to_thread(censo, "web", "serve", **env)
    assert code == 1
    assert "the web database is at revision none" in err
    assert "run `censo web migrate` first" in err
    assert "Traceback" not in err
    assert await versions(url) == []  # it migrated nothing


async def test_production_registration_refuses_a_schema_behind_the_code_in_one_line(
    create_database: Callable[[str], str],
) -> None:
    url = create_database("registration_production")
    env = {"REGISTRATION_ENVIRONMENT": "production", "REGISTRATION_DATABASE_URL": url}
    code, _, err = await asyncio.to_thread(censo, "registration", "serve", **env)
    assert code == 1
    assert "run `censo registration migrate` first" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


async def test_a_current_schema_passes_the_check(create_database: Callable[[str], str]) -> None:
    engine = make_engine(create_database("web_current"), pool_size=1)
    try:
        try:
            await require_current_schema(engine, WEB_MIGRATIONS, "censo web migrate")
        except SchemaNotCurrent:
            pass
        else:
            raise AssertionError("a fresh database passed the check")
        await migrate(engine, WEB_MIGRATIONS)
        await require_current_schema(engine, WEB_MIGRATIONS, "censo web migrate")
    finally:
        await engine.dispose()
