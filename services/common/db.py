"""Database plumbing: the async SQLAlchemy engine and sessions, the wait for the database at
start-up, and the plain asyncpg DSN of the same URL (for LISTEN and session-level locks)."""

from __future__ import annotations

import asyncio
import time

import structlog
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

log = structlog.get_logger(__name__)


class DatabaseUnavailable(RuntimeError):
    """The database did not answer within the start-up timeout."""


class SchemaNotCurrent(RuntimeError):
    """The database is not at the revision this code needs (and the process may not migrate):
    raised by `migrations.require_current_schema`, here so that the command line's error handling
    knows it without importing alembic."""


def make_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    """`hide_parameters`: a database error never carries the statement's values (cédulas, names,
    phones) into an exception message, and so into a log line."""
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        hide_parameters=True,
    )


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def asyncpg_dsn(sqlalchemy_url: str) -> str:
    """The `postgresql+asyncpg://` URL as the DSN asyncpg itself takes (password kept)."""
    url = make_url(sqlalchemy_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


async def wait_for_database(engine: AsyncEngine, timeout_s: float = 60.0) -> None:
    """Block until `SELECT 1` answers, or raise DatabaseUnavailable."""
    deadline, waited = time.monotonic() + timeout_s, False
    while True:
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return
        except (OSError, SQLAlchemyError) as exc:
            if not waited:
                log.warning("database.waiting", timeout_s=timeout_s, error=repr(exc))
                waited = True
            if time.monotonic() > deadline:
                raise DatabaseUnavailable(
                    f"database did not answer in {timeout_s:.0f} s: {exc}"
                ) from exc
            await asyncio.sleep(0.5)
