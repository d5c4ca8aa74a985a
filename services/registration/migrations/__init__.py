"""Alembic migrations of the registration database, configured in code (no alembic.ini).

`upgrade(engine)` runs at start-up when settings allow it; `run_migrations(url)` backs the
`migrate` command. Both hold an advisory lock so concurrent starts (API and relay) do not race.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

MIGRATIONS_DIR = Path(__file__).parent
MIGRATION_LOCK_ID = 0x5245_474D_4947  # arbitrary, fixed: "REGMIG"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    async with engine.begin() as conn:
        await conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
        await conn.run_sync(_upgrade_on, revision)


def _upgrade_on(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def run_migrations(url: str, revision: str = "head") -> None:
    """Bring the database at `url` to `revision` (blocking; call it outside an event loop)."""

    async def _run() -> None:
        engine = create_async_engine(url)
        try:
            await upgrade(engine, revision)
        finally:
            await engine.dispose()

    asyncio.run(_run())
