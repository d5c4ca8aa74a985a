"""`censo ops plans run-due`: a revalidation planned against the election date runs once its day
has come, as the planned run itself (its row goes planned → running → succeeded), publishing one
request per user; one not due yet, or cancelled, waits or never runs; a second runner finds
nothing left to do."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas import topics
from services.common.kafka import ensure_topics
from services.common.settings import KafkaSettings
from services.operations import plans
from services.web.adapters import election_calendar, planned_runs
from services.web.adapters.tables import operation_runs
from services.web.projection.projector import Projector
from tests.support.events import record, user_registered
from tests.support.kafka_wait import watching

ELECTION = date(2027, 3, 14)
PLANNED_AT = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


async def _plan(engine: AsyncEngine, days_before: int) -> int:
    async with engine.begin() as conn:
        return await planned_runs.plan_revalidation(
            conn, ELECTION, days_before, "Admin Campaña (web)", PLANNED_AT
        )


async def _row(engine: AsyncEngine, run_id: int):  # type: ignore[no-untyped-def]
    async with engine.connect() as conn:
        query = select(operation_runs).where(operation_runs.c.run_id == run_id)
        return (await conn.execute(query)).one()


async def test_a_due_plan_runs_once_as_its_own_run(
    web_db: tuple[str, AsyncEngine], kafka_bootstrap: str, monkeypatch
) -> None:
    url, engine = web_db
    projector = Projector(engine)
    for index in range(4):
        await projector.project(record(user_registered(cedula=f"6500000{index}")))
    settings = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    await ensure_topics(settings)
    monkeypatch.setenv("WEB_DATABASE_URL", url)
    monkeypatch.setenv("CENSO_OPERATOR", "cron")
    async with engine.begin() as conn:
        await election_calendar.set_election_date(conn, ELECTION, "Admin", PLANNED_AT)
    due, later, cancelled = await _plan(engine, 15), await _plan(engine, 3), await _plan(engine, 20)
    async with engine.begin() as conn:
        assert await planned_runs.cancel_plan(conn, cancelled, PLANNED_AT)

    not_yet = datetime(2027, 2, 27, 4, 59, tzinfo=UTC)  # 23:59 in Bogotá, the day before
    assert await plans.run_due(settings, not_yet) == 0
    assert (await _row(engine, due)).status == "planned"

    on_the_day = not_yet + timedelta(minutes=2)
    cedulas = [f"6500000{index}" for index in range(4)]
    async with watching(kafka_bootstrap, topics.BULK_VALIDATION_REQUESTS.name) as bulk:
        assert await plans.run_due(settings, on_the_day) == 1
        await bulk.wait_for(lambda _: all(bulk.bodies(cedula) for cedula in cedulas))
    assert {bulk.bodies(c)[0]["data"]["reason"] for c in cedulas} == {"revalidation"}
    ran = await _row(engine, due)
    assert (ran.status, ran.done, ran.total) == ("succeeded", 4, 4)
    assert ran.operator == "Admin Campaña (web)" and ran.started_at == on_the_day
    assert (await _row(engine, later)).status == "planned"
    assert (await _row(engine, cancelled)).status == "cancelled"

    assert await plans.run_due(settings, on_the_day + timedelta(hours=1)) == 0  # nothing left
