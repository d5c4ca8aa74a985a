"""Revalidations planned against the election date (the web's Calendario electoral): list them,
and run the ones that are due. Nothing in the system runs on a schedule, so `censo ops plans
run-due` is meant to be started periodically (cron, a systemd timer); two at once are harmless,
each plan is claimed by one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaProducer
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.settings import KafkaSettings
from services.operations import connections, render
from services.operations.revalidate import Selection, select_targets
from services.operations.revalidate import revalidate as publish_requests
from services.web.adapters import planned_runs
from services.web.adapters.operation_runs import RunKind, recorded_run

EVERYONE = Selection()


async def list_plans(as_json: bool) -> None:
    async with connections.web_database() as engine, engine.connect() as conn:
        rows = await planned_runs.planned(conn)
    if as_json:
        for row in rows:
            render.json_line({"run_id": row.run_id, "due_at": row.due_at, "target": row.target})
        return
    columns = ["run", "due at", "what", "planned by"]
    cells = [(row.run_id, row.due_at.isoformat(), row.target, row.operator) for row in rows]
    render.table("planned revalidations", columns, cells)


async def run_due(settings: KafkaSettings, now: datetime | None = None) -> int:
    """Run every plan due at `now`, oldest first; how many ran."""
    now = now or datetime.now(UTC)
    async with connections.web_database() as engine:
        async with engine.connect() as conn:
            due = await planned_runs.due_plans(conn, now)
        if not due:
            render.console.print("no planned revalidation is due")
            return 0
        ran = 0
        async with connections.producer(settings) as producer:
            for plan in due:
                ran += await _run_plan(engine, producer, plan, now)
    return ran


async def _run_plan(
    engine: AsyncEngine, producer: AIOKafkaProducer, plan: Any, now: datetime
) -> bool:
    targets = await select_targets(engine, EVERYONE)
    async with engine.begin() as conn:
        if not await planned_runs.claim(conn, plan.run_id, len(targets), now):
            return False  # another runner, or an admin's cancel, got there first
    run = recorded_run(
        engine, RunKind.REVALIDATION, plan.operator, plan.target, len(targets), run_id=plan.run_id
    )
    async with run as recorded, connections.person_keys() as keys:
        await publish_requests(producer, targets, EVERYONE, recorded.advance, keys)
    render.console.print(f"run {plan.run_id}: {len(targets)} revalidation requests ({plan.target})")
    return True
