"""The census hosts' capacity in the read model: the newest report is the one row, an older one
read late changes nothing, a redelivery changes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.db import make_engine
from services.common.migrations import migrate
from services.web.adapters.tables import census_capacity
from services.web.bootstrap import MIGRATIONS
from services.web.projection.projector import Projector
from services.web.queries.capacity import latest_capacity
from tests.support.capacity import capacity_report, host_state, open_circuit
from tests.support.events import record


@pytest.fixture
async def engine(create_database: Callable[[str], str]) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(create_database("web"), pool_size=2)
    await migrate(engine, MIGRATIONS)
    yield engine
    await engine.dispose()


async def test_the_newest_report_wins_and_an_older_one_changes_nothing(
    engine: AsyncEngine,
) -> None:
    projector = Projector(engine)
    now = datetime.now(UTC)
    newer = capacity_report(hosts=[host_state("wsp"), open_circuit()], reported_at=now)
    older = capacity_report(
        hosts=[host_state("wsp", turns_last_minute=1)], reported_at=now - timedelta(seconds=10)
    )
    newest = capacity_report(
        hosts=[host_state("wsp", turns_last_minute=11)], reported_at=now + timedelta(seconds=5)
    )

    first = record(newer)
    assert await projector.project(first)
    assert await projector.project(record(older))  # applied, yet the row keeps the newer report
    async with engine.connect() as conn:
        shown = await latest_capacity(conn)
    assert shown == newer.data

    assert not await projector.project(first)  # a redelivery: already applied
    assert await projector.project(record(newest))
    async with engine.connect() as conn:
        rows = (await conn.execute(select(census_capacity))).all()
        shown = await latest_capacity(conn)
    assert len(rows) == 1 and rows[0].event_id == newest.event_id
    assert shown == newest.data and shown.hosts[0].turns_last_minute == 11


async def test_before_any_report_there_is_none(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        assert await latest_capacity(conn) is None
