"""`censo ops revalidate --changed-since`: only the people whose census answer changed since
then (a novedad) are selected."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

import services.web
from schemas.census import VotingPlace
from services.common.db import make_engine
from services.common.migrations import migrate
from services.operations.revalidate import Selection, select_targets
from services.web.projection.projector import Projector
from tests.support.events import record, user_registered, validated

WEB_MIGRATIONS = Path(services.web.__file__).parent / "migrations"


def mesa(number: str) -> VotingPlace:
    return VotingPlace(
        departamento="SUCRE", municipio="SINCELEJO", puesto="IE UNO", direccion="CL 1", mesa=number
    )


async def seed(url: str) -> str:
    """Three people answered twice; only the first one's mesa changed. Its cédula."""
    engine = make_engine(url)
    await migrate(engine, WEB_MIGRATIONS)
    projector = Projector(engine)
    people = [user_registered(cedula=f"4030000{index}") for index in range(3)]
    for person in people:
        await projector.project(record(person))
        await projector.project(record(validated(person, mesa("1"))))
    for index, person in enumerate(people):
        await projector.project(record(validated(person, mesa("9" if index == 0 else "1"))))
    since = datetime.now(UTC) - timedelta(hours=1)
    assert [c for _, c in await select_targets(engine, Selection(changed_since=since))] == [
        people[0].data.cedula
    ]
    later = Selection(changed_since=datetime.now(UTC) + timedelta(hours=1))
    assert await select_targets(engine, later) == []
    await engine.dispose()
    return people[0].data.cedula


def test_revalidate_changed_since_selects_only_people_whose_answer_changed(
    create_database: Callable[[str], str], monkeypatch
) -> None:
    from services.cli import app

    url = create_database("web")
    asyncio.run(seed(url))
    monkeypatch.setenv("WEB_DATABASE_URL", url)
    since = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%d")
    args = ["ops", "revalidate", "--changed-since", since, "--dry-run"]
    result = CliRunner().invoke(app, args, prog_name="censo")
    assert result.exit_code == 0, result.output
    assert "1 users selected" in result.output
