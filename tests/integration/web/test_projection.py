"""The projector on a real PostgreSQL: events become read rows exactly once."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

import services.web
from services.common.db import make_engine
from services.common.migrations import migrate
from services.web import queries
from services.web.adapters.tables import census_history
from services.web.projection.projector import Projector
from tests.support.events import record, started, user_registered, validated

MIGRATIONS = Path(services.web.__file__).parent / "migrations"


@pytest.fixture
async def engine(create_database: Callable[[str], str]) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(create_database("web"))
    await migrate(engine, MIGRATIONS)
    yield engine
    await engine.dispose()


async def test_registration_then_answer_shows_active_with_voting_place(engine: AsyncEngine) -> None:
    projector = Projector(engine)
    registered = user_registered()
    await projector.project(record(registered))

    async with engine.connect() as conn:
        pending = await queries.census_for_user(conn, registered.data.user_id)
    assert pending is not None and pending["status"] == "PENDING"

    await projector.project(record(started(registered)))
    await projector.project(record(validated(registered)))

    async with engine.connect() as conn:
        view = await queries.census_for_user(conn, registered.data.user_id)
    assert view is not None
    assert view["status"] == "ACTIVE"
    assert view["voting_place"] == {
        "departamento": "SUCRE",
        "municipio": "SINCELEJO",
        "puesto": "IE SAN JOSE C I P",
        "direccion": "CL 22 No. 10A-380",
        "mesa": "13",
    }


async def test_redelivered_record_changes_nothing(engine: AsyncEngine) -> None:
    projector = Projector(engine)
    registered = user_registered(cedula="52123456")
    answer = record(validated(registered), offset=10_000)
    await projector.project(record(registered))

    assert await projector.project(answer) is True
    assert await projector.project(answer) is False  # same topic, partition and offset

    async with engine.connect() as conn:
        history = await conn.scalar(select(func.count()).select_from(census_history))
    assert history == 1


async def test_late_started_event_does_not_hide_the_answer(engine: AsyncEngine) -> None:
    projector = Projector(engine)
    registered = user_registered(cedula="71234567")
    await projector.project(record(registered))
    await projector.project(record(validated(registered)))
    await projector.project(record(started(registered)))  # replayed from another partition order

    async with engine.connect() as conn:
        view = await queries.census_for_user(conn, registered.data.user_id)
    assert view is not None and view["status"] == "ACTIVE"


async def test_unknown_user_has_no_census_view(engine: AsyncEngine) -> None:
    from uuid import uuid4

    async with engine.connect() as conn:
        assert await queries.census_for_user(conn, uuid4()) is None


async def test_replaying_every_event_from_the_start_leaves_the_same_rows(
    engine: AsyncEngine,
) -> None:
    from services.web.adapters.tables import census_status, users

    projector = Projector(engine)
    registered = user_registered(cedula="43123456")
    stream = [record(e) for e in (registered, started(registered), validated(registered))]
    for item in stream:
        await projector.project(item)

    async def snapshot() -> list:
        async with engine.connect() as conn:
            return [
                [tuple(row) for row in await conn.execute(select(table))]
                for table in (users, census_status, census_history)
            ]

    before = await snapshot()
    assert [await projector.project(item) for item in stream] == [False, False, False]
    assert await snapshot() == before
