"""Alembic migrations run from code, on a connection of the service's async engine.

Each service keeps its own `migrations/` folder (env.py + versions/); `upgrade_to_head` runs it.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine


def alembic_config(script_location: Path, connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.attributes["connection"] = connection
    return config


async def upgrade_to_head(engine: AsyncEngine, script_location: Path) -> None:
    """Bring the schema to the newest revision; a no-op when it is already there."""

    def upgrade(connection: Connection) -> None:
        command.upgrade(alembic_config(script_location, connection), "head")

    async with engine.begin() as connection:
        await connection.run_sync(upgrade)
