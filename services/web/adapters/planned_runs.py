"""Revalidations planned against the election date («revalidar todo 15 días antes»): rows of
operation_runs with status planned, a due time and the days before the election. A runner
(`censo ops plans run-due`) claims a due one, which turns it into a running run like any other."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from services.web.adapters.operation_runs import RunKind, RunStatus
from services.web.adapters.tables import operation_runs
from services.web.clock import BOGOTA

runs = operation_runs.c


def due_moment(election_day: date, days_before: int) -> datetime:
    """The start of the day `days_before` days before the election, in Bogotá."""
    return datetime.combine(election_day - timedelta(days=days_before), time(0), tzinfo=BOGOTA)


def plan_target(days_before: int) -> str:
    days = "1 día" if days_before == 1 else f"{days_before} días"
    return f"todos los usuarios, {days} antes de las elecciones"


async def plan_revalidation(
    conn: AsyncConnection, election_day: date, days_before: int, operator: str, now: datetime
) -> int:
    row = {
        "kind": RunKind.REVALIDATION.value,
        "operator": operator[:200],
        "target": plan_target(days_before),
        "status": RunStatus.PLANNED.value,
        "started_at": now,  # when it was planned, until it starts
        "updated_at": now,
        "due_at": due_moment(election_day, days_before),
        "days_before": days_before,
    }
    statement = insert(operation_runs).values(row).returning(runs.run_id)
    return int((await conn.execute(statement)).scalar_one())


async def planned(conn: AsyncConnection) -> list[Any]:
    query = select(operation_runs).where(runs.status == RunStatus.PLANNED.value)
    return list(await conn.execute(query.order_by(runs.due_at, runs.run_id)))


async def cancel_plan(conn: AsyncConnection, run_id: int, now: datetime) -> bool:
    statement = (
        update(operation_runs)
        .where(runs.run_id == run_id, runs.status == RunStatus.PLANNED.value)
        .values(status=RunStatus.CANCELLED.value, updated_at=now, finished_at=now)
    )
    return (await conn.execute(statement)).rowcount == 1


async def reschedule(conn: AsyncConnection, election_day: date) -> int:
    """Move every planned revalidation to the same number of days before the new date."""
    moved = 0
    for row in await planned(conn):
        if row.days_before is not None:
            due = due_moment(election_day, row.days_before)
            statement = update(operation_runs).where(runs.run_id == row.run_id)
            await conn.execute(statement.values(due_at=due))
            moved += 1
    return moved


async def due_plans(conn: AsyncConnection, now: datetime) -> list[Any]:
    query = select(operation_runs).where(runs.status == RunStatus.PLANNED.value, runs.due_at <= now)
    return list(await conn.execute(query.order_by(runs.due_at, runs.run_id)))


async def claim(conn: AsyncConnection, run_id: int, total: int, now: datetime) -> bool:
    """Start a due plan; False when another runner (or a cancel) got there first."""
    statement = (
        update(operation_runs)
        .where(runs.run_id == run_id, runs.status == RunStatus.PLANNED.value, runs.due_at <= now)
        .values(status=RunStatus.RUNNING.value, started_at=now, updated_at=now, total=total)
    )
    return (await conn.execute(statement)).rowcount == 1
