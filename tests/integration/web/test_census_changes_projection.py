"""«Novedades» kept by the projector: an answer that differs from the cédula's previous one is
one change row with before and after; the same answer twice is none; applying again adds none."""

from __future__ import annotations

import secrets
from typing import Any
from uuid import uuid4

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.census import CensusStatus, VotingPlace
from services.web.projection import census_changes
from services.web.projection.projector import Projector
from tests.integration.web.builders import answered, referral
from tests.integration.web.builders import as_record as record
from tests.support.events import validated


def place(puesto: str, mesa: str) -> VotingPlace:
    return VotingPlace(
        departamento="SUCRE", municipio="SINCELEJO", puesto=puesto, direccion="CL 1", mesa=mesa
    )


async def changes_of(engine: AsyncEngine, cedula: str) -> list[Any]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT * FROM census_changes WHERE cedula = :c ORDER BY changed_at"),
            {"c": cedula},
        )
        return list(rows)


async def test_a_new_mesa_is_one_change_and_the_same_answer_again_is_none(
    projector: Projector, web_engine: AsyncEngine
) -> None:
    school = f"IE {secrets.token_hex(4)}"
    ana = referral(uuid4())
    # Made in order: an answer's time is when it was made.
    first, again = validated(ana, place(school, "3")), validated(ana, place(school, "3"))
    moved = validated(ana, place(school, "7"))
    for event in (ana, first, again, moved):
        await projector.project(record(event))
    redelivered = record(validated(ana, place(school, "7")))
    await projector.project(redelivered)
    await projector.project(redelivered)

    rows = await changes_of(web_engine, ana.data.cedula)
    assert [(r.before_mesa, r.after_mesa, r.before_puesto, r.after_puesto) for r in rows] == [
        ("3", "7", school, school)
    ]
    assert rows[0].event_id == moved.event_id

    async with web_engine.begin() as conn:  # the same answers once more: nothing new
        assert await census_changes.record(conn, [moved.event_id, first.event_id]) == []


async def test_a_cancelled_cedula_and_one_no_longer_found_are_changes(
    projector: Projector, web_engine: AsyncEngine
) -> None:
    ana = referral(uuid4())
    failure = answered(ana, CensusStatus.TIMEOUT)  # not an answer: compared with nothing
    for event in (
        ana,
        validated(ana, place("IE UNO", "1")),
        failure,
        answered(ana, CensusStatus.CANCELLED_DECEASED),
        answered(ana, CensusStatus.NOT_FOUND),
    ):
        await projector.project(record(event))

    rows = await changes_of(web_engine, ana.data.cedula)
    assert [(r.before_status, r.after_status) for r in rows] == [
        ("ACTIVE", "CANCELLED_DECEASED"),
        ("CANCELLED_DECEASED", "NOT_FOUND"),
    ]
    assert rows[0].before_puesto == "IE UNO" and rows[0].after_puesto is None
