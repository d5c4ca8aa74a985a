"""Long operations (revalidation, rebuild, redrive) recorded in the web database with their
progress, so the Operación page shows them while they run, whoever started them and from where.

The operation only counts in memory (`RunProgress.advance`, cheap enough to call per event); a
background task writes the count at most once per `interval_s`. Recording is best effort: a web
database without the table (not migrated yet) or out of reach never stops the operation itself.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

import structlog
from sqlalchemy import insert, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from services.web.adapters.tables import operation_runs

log = structlog.get_logger(__name__)
MAX_MESSAGE_CHARS = 2_000


class RunKind(StrEnum):
    REVALIDATION = "revalidation"
    REBUILD = "rebuild"
    REDRIVE = "redrive"


class RunStatus(StrEnum):
    PLANNED = "planned"  # due at `due_at` (adapters/planned_runs.py)
    CANCELLED = "cancelled"  # a plan an admin called off
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass
class RunProgress:
    """What the operation reports as it goes; the recorder copies it to the table."""

    run_id: int | None
    total: int | None = None
    done: int = 0
    message: str | None = None

    def advance(self, done: int, total: int | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total


@contextlib.asynccontextmanager
async def recorded_run(
    engine: AsyncEngine,
    kind: RunKind,
    operator: str,
    target: str,
    total: int | None = None,
    interval_s: float = 1.0,
    run_id: int | None = None,
) -> AsyncIterator[RunProgress]:
    """Record the run while the body runs: running, then succeeded, or failed with the error.
    `run_id`: a planned run already claimed (running), recorded in its own row."""
    run_id = run_id or await _start(engine, kind, operator, target, total)
    progress = RunProgress(run_id, total)
    flusher = asyncio.create_task(_flush_every(engine, progress, interval_s))
    status = RunStatus.FAILED
    try:
        yield progress
        status = RunStatus.SUCCEEDED
    except BaseException as exc:
        progress.message = progress.message or f"{type(exc).__name__}: {exc}"
        raise
    finally:
        flusher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await flusher
        await _write(engine, progress, status=status.value, finished_at=datetime.now(UTC))


async def _start(
    engine: AsyncEngine, kind: RunKind, operator: str, target: str, total: int | None
) -> int | None:
    now = datetime.now(UTC)
    row = {
        "kind": kind.value,
        "operator": operator[:200],
        "target": target[:500],
        "status": RunStatus.RUNNING.value,
        "total": total,
        "started_at": now,
        "updated_at": now,
    }
    try:
        async with engine.begin() as conn:
            statement = insert(operation_runs).values(row).returning(operation_runs.c.run_id)
            return int((await conn.execute(statement)).scalar_one())
    except (SQLAlchemyError, OSError) as exc:
        log.warning("ops.run_not_recorded", kind=kind.value, error=str(exc)[:200])
        return None


async def _flush_every(engine: AsyncEngine, progress: RunProgress, interval_s: float) -> None:
    while True:
        await asyncio.sleep(interval_s)
        await _write(engine, progress)


async def _write(engine: AsyncEngine, progress: RunProgress, **final: object) -> None:
    if progress.run_id is None:
        return
    values = {
        "done": progress.done,
        "total": progress.total,
        "updated_at": datetime.now(UTC),
        "message": (progress.message or "")[:MAX_MESSAGE_CHARS] or None,
        **final,
    }
    statement = update(operation_runs).where(operation_runs.c.run_id == progress.run_id)
    try:
        async with engine.begin() as conn:
            await conn.execute(statement.values(values))
    except (SQLAlchemyError, OSError) as exc:
        log.warning("ops.run_progress_not_recorded", run_id=progress.run_id, error=str(exc)[:200])
