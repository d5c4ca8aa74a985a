"""The charts' read tables kept by the projector: each person counted once by sign-up day and
census status, for their leader and the campaign; a new status moves them; a redelivery or a
duplicate answer counts nothing more; lookups per minute by host and status."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.census import CensusStatus
from services.web.projection.projector import Projector
from tests.integration.web.builders import answered, referral
from tests.integration.web.builders import as_record as record
from tests.support.events import validated

DAY = datetime(2026, 10, 3, 15, tzinfo=UTC)  # 10:00 in Bogotá


async def rows(engine: AsyncEngine, sql: str, **params: Any) -> dict[Any, int]:
    async with engine.connect() as conn:
        return {tuple(row[:-1]): row[-1] for row in await conn.execute(text(sql), params)}


async def by_status(engine: AsyncEngine, scope: UUID) -> dict[Any, int]:
    sql = "SELECT status, people FROM status_counts WHERE scope_id = :s"
    return await rows(engine, sql, s=scope)


async def test_a_referral_counts_once_on_its_day_and_moves_with_its_status(
    projector: Projector, web_engine: AsyncEngine
) -> None:
    leader = uuid4()
    ana, luis = referral(leader, at=DAY), referral(leader, "Luis Gómez", at=DAY)
    signed_up = record(ana)
    for event in (signed_up, record(luis)):
        assert await projector.project(event)
    assert not await projector.project(signed_up)  # a redelivery: skipped by its position
    await projector.project(record(ana))  # the same sign-up again, at another offset
    assert await by_status(web_engine, leader) == {("PENDING",): 2}

    for event in (validated(ana), answered(luis, CensusStatus.NOT_FOUND), validated(ana)):
        await projector.project(record(event))

    assert await by_status(web_engine, leader) == {("ACTIVE",): 1, ("NOT_FOUND",): 1}
    days = "SELECT day, people FROM daily_signups WHERE scope_id = :s"
    assert await rows(web_engine, days, s=leader) == {(date(2026, 10, 3),): 2}


async def test_campaign_counts_include_people_nobody_referred(
    projector: Projector, web_engine: AsyncEngine
) -> None:
    everyone = UUID(int=0)
    before = await by_status(web_engine, everyone)
    await projector.project(record(referral(None)))
    after = await by_status(web_engine, everyone)
    assert after[("PENDING",)] == before.get(("PENDING",), 0) + 1


async def test_lookups_count_per_minute_host_and_status_once(
    projector: Projector, web_engine: AsyncEngine
) -> None:
    host = f"h{secrets.token_hex(4)}"
    ana, luis = referral(uuid4()), referral(uuid4())
    failure = answered(luis, CensusStatus.TIMEOUT)
    failure = failure.model_copy(update={"data": failure.data.model_copy(update={"source": host})})
    answer = validated(ana)
    answer = answer.model_copy(update={"data": answer.data.model_copy(update={"source": host})})
    for event in (ana, luis, answer, failure, failure, answer):  # duplicates at new offsets
        await projector.project(record(event))

    sql = "SELECT status, sum(lookups) FROM lookup_minutes WHERE host = :h GROUP BY status"
    assert await rows(web_engine, sql, h=host) == {("ACTIVE",): 1, ("TIMEOUT",): 1}
