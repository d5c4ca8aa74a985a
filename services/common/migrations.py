"""Alembic migrations run from code, one process at a time, on the service's async engine.

Each service keeps its own `migrations/` folder (env.py + versions/, no alembic.ini); `migrate`
runs it. In development the processes that start together (API, relay, several web workers) all
migrate at start-up: a PostgreSQL advisory lock makes them take turns, so the second finds the
schema done. In production `censo <service> migrate` runs first (under the same lock) and the
processes only check that the schema is at the newest revision (`require_current_schema`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.db import SchemaNotCurrent as SchemaNotCurrent  # raised here, named there
from services.common.db import make_engine, wait_for_database

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


async def require_current_schema(engine: AsyncEngine, migrations: Path, command: str) -> None:
    """Raise SchemaNotCurrent, naming both revisions and `command` (what migrates it), unless the
    database is at the newest revision of `migrations`."""

    def current(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as connection:
        found = await connection.run_sync(current)
    wanted = ScriptDirectory.from_config(alembic_config(migrations)).get_current_head()
    if found != wanted:
        service = migrations.parent.name
        raise SchemaNotCurrent(
            f"the {service} database is at revision {found or 'none'}, this version needs "
            f"{wanted}: run `{command}` first (production never migrates at start-up)"
        )


async def migrate_or_require_current(
    engine: AsyncEngine, migrations: Path, *, migrate_now: bool, command: str
) -> None:
    """At start-up: migrate (development) or only check the schema is current (production)."""
    if migrate_now:
        await migrate(engine, migrations)
    else:
        await require_current_schema(engine, migrations, command)


async def migrate_database(url: str, migrations: Path, revision: str = "head") -> None:
    """`censo <service> migrate`: wait for the database at `url`, migrate it, let go of it."""
    engine = make_engine(url, pool_size=1)
    try:
        await wait_for_database(engine)
        await migrate(engine, migrations, revision)
    finally:
        await engine.dispose()
