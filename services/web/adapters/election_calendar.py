"""The election date admins set, kept in the web database (not part of the read model: a rebuild
leaves it in place). Setting it moves the planned revalidations with it."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.web.adapters.planned_runs import reschedule
from services.web.adapters.tables import election_calendar

KEY = "election"


async def election_date(conn: AsyncConnection) -> date | None:
    query = select(election_calendar.c.election_date).where(election_calendar.c.calendar_key == KEY)
    return (await conn.execute(query)).scalar_one_or_none()


async def set_election_date(conn: AsyncConnection, day: date, operator: str, now: datetime) -> int:
    """Store the date and move the planned revalidations; how many plans moved."""
    row = {
        "calendar_key": KEY,
        "election_date": day,
        "updated_by": operator[:200],
        "updated_at": now,
    }
    statement = insert(election_calendar).values(row)
    update = {k: statement.excluded[k] for k in ("election_date", "updated_by", "updated_at")}
    await conn.execute(
        statement.on_conflict_do_update(index_elements=["calendar_key"], set_=update)
    )
    return await reschedule(conn, day)
