"""Runs of long operator operations, newest first, for the Operación page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.web.adapters.tables import operation_runs


async def recent_runs(conn: AsyncConnection, limit: int = 10) -> list[Any]:
    query = select(operation_runs).order_by(operation_runs.c.run_id.desc()).limit(limit)
    return list(await conn.execute(query))


async def latest_run_of(conn: AsyncConnection, kind: str) -> Any | None:
    """The newest run that started (a planned or cancelled one has not)."""
    query = (
        select(operation_runs)
        .where(
            operation_runs.c.kind == kind,
            operation_runs.c.status.not_in(("planned", "cancelled")),
        )
        .order_by(operation_runs.c.run_id.desc())
        .limit(1)
    )
    return (await conn.execute(query)).first()
