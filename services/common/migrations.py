"""Alembic migrations run from code, one process at a time, on the service's async engine.

Each service keeps its own `migrations/` folder (env.py + versions/, no alembic.ini); `migrate`
runs it. Processes that start together (API, relay, several web workers) all migrate at start-up:
a PostgreSQL advisory lock makes them take turns, so the second finds the schema done.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

LOCK_NAMESPACE = "censo.migrations"


def alembic_config(migrations: Path, connection: Connection | None = None) -> Config:
    """A config for `migrations`, migrating `connection` (env.py reads it from the attributes)."""
    config = Config()
    config.set_main_option("script_location", str(migrations))
    config.attributes["connection"] = connection
    return config


def migration_lock_key(migrations: Path) -> int:
    """The advisory lock of one service's migrations (`registration/migrations`, ...): the same
    in every process and on every machine, and different for each service."""
    name = f"{LOCK_NAMESPACE}:{migrations.parent.name}/{migrations.name}"
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), signed=True)


async def migrate(engine: AsyncEngine, migrations: Path, revision: str = "head") -> None:
    """Bring the schema to `revision` (the newest by default); a no-op when it is already there.

    The lock is taken in the migration's own transaction and released by its commit or rollback,
    so a process that dies mid-migration cannot leave it held.
    """

    def upgrade(connection: Connection) -> None:
        command.upgrade(alembic_config(migrations, connection), revision)

    async with engine.begin() as connection:
        await connection.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": migration_lock_key(migrations)}
        )
        await connection.run_sync(upgrade)
