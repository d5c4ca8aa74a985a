"""«Dónde votan» counts kept by the projector: a person counted once at their mesa, for the
campaign and for their leader; a new answer moves them; the same answer again changes nothing."""

from __future__ import annotations

import secrets
from uuid import UUID, uuid4

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.census import CensusStatus, VotingPlace
from services.web.adapters.voting_place_tables import EVERYONE
from services.web.projection.projector import Projector
from tests.integration.web.builders import answered, referral
from tests.integration.web.builders import as_record as record
from tests.support.events import validated


def place(puesto: str, mesa: str = "1") -> VotingPlace:
    return VotingPlace(
        departamento="SUCRE",
        municipio="SINCELEJO",
        puesto=puesto,
        direccion=f"CL {secrets.randbelow(90)} No. 1-2",
        mesa=mesa,
    )


async def counts(
    engine: AsyncEngine, scope: UUID, puestos: list[str]
) -> dict[tuple[str, str], int]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT puesto, mesa, people FROM voting_place_counts "
                "WHERE scope_id = :scope AND puesto = ANY(:puestos)"
            ),
            {"scope": scope, "puestos": puestos},
        )
        return {(row.puesto, row.mesa): row.people for row in rows}


async def test_a_person_counts_once_for_the_campaign_and_their_leader(
    projector: Projector, web_engine: AsyncEngine
) -> None:
    leader = uuid4()
    school = f"IE {secrets.token_hex(4)}"
    ana, luis = referral(leader), referral(leader, "Luis Gómez")
    for event in (ana, luis, validated(luis, place(school, "3"))):
        await projector.project(record(event))
    answer = record(validated(ana, place(school, "3")))  # offsets grow: made after the others
    assert await projector.project(answer)
    assert not await projector.project(answer)  # a redelivery: skipped by its position
    await projector.project(record(validated(ana, place(school, "3"))))  # the same answer again

    assert await counts(web_engine, leader, [school]) == {(school, "3"): 2}
    assert await counts(web_engine, EVERYONE, [school]) == {(school, "3"): 2}


async def test_a_new_puesto_moves_the_count_and_a_cancelled_cedula_leaves(
    projector: Projector, web_engine: AsyncEngine
) -> None:
    leader = uuid4()
    old, new = f"IE {secrets.token_hex(4)}", f"IE {secrets.token_hex(4)}"
    ana = referral(leader)
    for event in (ana, validated(ana, place(old, "3")), validated(ana, place(new, "7"))):
        await projector.project(record(event))
    assert await counts(web_engine, leader, [old, new]) == {(new, "7"): 1}
    assert await counts(web_engine, EVERYONE, [old, new]) == {(new, "7"): 1}

    await projector.project(record(answered(ana, CensusStatus.CANCELLED_DECEASED)))
    assert await counts(web_engine, leader, [old, new]) == {}


async def test_an_answer_read_before_the_sign_up_counts_for_the_leader_once_it_arrives(
    projector: Projector, web_engine: AsyncEngine
) -> None:
    leader = uuid4()
    school = f"IE {secrets.token_hex(4)}"
    ana = referral(leader)
    await projector.project(record(validated(ana, place(school))))
    assert await counts(web_engine, leader, [school]) == {}
    await projector.project(record(ana))
    assert await counts(web_engine, leader, [school]) == {(school, "1"): 1}
    assert await counts(web_engine, EVERYONE, [school]) == {(school, "1"): 1}
