"""The charts' numbers, read from the tables the projector keeps (never counted over people)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.web.adapters.chart_tables import (
    daily_signups,
    flow_samples,
    lookup_minutes,
    status_counts,
)
from services.web.adapters.voting_place_tables import EVERYONE, voting_place_counts

TOP = 10


async def signups_per_day(conn: AsyncConnection, scope: UUID) -> list[tuple[date, int]]:
    query = (
        select(daily_signups.c.day, daily_signups.c.people)
        .where(daily_signups.c.scope_id == scope)
        .order_by(daily_signups.c.day)
    )
    return [(row.day, row.people) for row in await conn.execute(query)]


async def people_per_status(conn: AsyncConnection, scope: UUID) -> dict[str, int]:
    query = select(status_counts.c.status, status_counts.c.people).where(
        status_counts.c.scope_id == scope
    )
    return {row.status: row.people for row in await conn.execute(query)}


async def top_places(conn: AsyncConnection, *levels: str) -> list[tuple[str, int]]:
    """The campaign's TOP places at a level (municipio: departamento, municipio; puesto: the
    three), most people first, named «PUESTO · MUNICIPIO»."""
    columns = [voting_place_counts.c[level] for level in levels]
    people = func.sum(voting_place_counts.c.people)
    query = (
        select(*columns, people.label("people"))
        .where(voting_place_counts.c.scope_id == EVERYONE)
        .group_by(*columns)
        .order_by(people.desc(), *columns)
        .limit(TOP)
    )
    return [(" · ".join(reversed(row[:-1])), int(row.people)) for row in await conn.execute(query)]


async def lookups_since(conn: AsyncConnection, since: datetime) -> list[Row[Any]]:
    query = select(lookup_minutes).where(lookup_minutes.c.minute >= since)
    return list(await conn.execute(query))


async def samples_since(conn: AsyncConnection, since: datetime) -> list[Row[Any]]:
    query = select(flow_samples).where(flow_samples.c.minute >= since)
    return list(await conn.execute(query))
