"""Long operations record their run in the web database, for the Operación page."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.census import CensusStatus
from services.common.db import make_engine
from services.common.kafka import ensure_topics
from services.common.settings import KafkaSettings
from services.operations import commands
from services.web.adapters.operation_runs import RunKind, recorded_run
from services.web.adapters.tables import operation_runs
from services.web.projection.projector import Projector
from tests.support.events import failed_event, record, user_registered


async def runs(engine: AsyncEngine) -> list:
    async with engine.connect() as conn:
        return list(await conn.execute(select(operation_runs).order_by(operation_runs.c.run_id)))


async def test_a_revalidation_records_its_run_with_who_what_and_how_far(
    web_db: tuple[str, AsyncEngine], kafka_bootstrap: str, monkeypatch
) -> None:
    url, engine = web_db
    projector = Projector(engine)
    for index in range(5):
        registered = user_registered(cedula=f"6400000{index}")
        await projector.project(record(registered))
        await projector.project(record(failed_event(registered, CensusStatus.ERROR)))
    settings = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    await ensure_topics(settings)
    monkeypatch.setenv("WEB_DATABASE_URL", url)
    monkeypatch.setenv("CENSO_OPERATOR", "operadora-ana")

    await commands.revalidate(settings, commands.Selection([CensusStatus.ERROR]), False, True)

    [run] = await runs(engine)
    assert (run.kind, run.status, run.operator) == ("revalidation", "succeeded", "operadora-ana")
    assert run.target == "estado ERROR"
    assert (run.done, run.total) == (5, 5) and run.finished_at is not None


async def test_a_failed_operation_is_recorded_as_failed_with_the_reason(
    web_db: tuple[str, AsyncEngine],
) -> None:
    _, engine = web_db
    with pytest.raises(RuntimeError):
        async with recorded_run(
            engine, RunKind.REBUILD, "ana", "modelo de lectura del tablero"
        ) as run:
            run.advance(10, 40)
            raise RuntimeError("Kafka se fue")

    [row] = await runs(engine)
    assert (row.status, row.done, row.total) == ("failed", 10, 40)
    assert row.message == "RuntimeError: Kafka se fue"


async def test_progress_is_written_now_and_then_not_per_event(
    web_db: tuple[str, AsyncEngine],
) -> None:
    _, engine = web_db
    async with recorded_run(engine, RunKind.REVALIDATION, "ana", "x", 100_000, 0.2) as run:
        for done in range(1, 100_001):
            run.advance(done)
        [before_flush] = await runs(engine)
        await asyncio.sleep(0.4)
        [after_flush] = await runs(engine)
    assert before_flush.done == 0 and after_flush.done == 100_000


async def test_an_operation_runs_even_where_its_run_cannot_be_recorded(
    create_database: Callable[[str], str],
) -> None:
    engine = make_engine(create_database("web"), pool_size=1)  # not migrated: no table
    try:
        async with recorded_run(
            engine, RunKind.REBUILD, "ana", "modelo de lectura del tablero"
        ) as run:
            run.advance(3, 3)
    finally:
        await engine.dispose()
    assert run.run_id is None
