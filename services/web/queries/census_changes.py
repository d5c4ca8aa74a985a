"""What «Novedades» reads and writes: the latest changes of a leader's direct referrals (or of
everyone), how many the viewer has not seen, and up to when they have seen them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, Select, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.web.adapters.census_change_tables import census_changes as changes
from services.web.adapters.census_change_tables import census_changes_seen as seen
from services.web.adapters.tables import users

LIST_SIZE = 200  # the newest changes shown; older ones stay in the table
BADGE_CAP = 100  # the badge counts up to here («100+»), so counting stays cheap


def _of(leader_id: UUID | None, *columns: Any) -> Select[*tuple[Any, ...]]:
    """Changes joined to their person; a leader's direct referrals only, or everyone (None)."""
    query = select(*columns).select_from(changes.join(users, users.c.cedula == changes.c.cedula))
    return query.where(users.c.referrer_id == leader_id) if leader_id else query


async def latest(conn: AsyncConnection, leader_id: UUID | None) -> Sequence[Row[Any]]:
    """The newest changes first, each with the person's name and id."""
    query = _of(leader_id, changes, users.c.nombre, users.c.user_id)
    query = query.order_by(changes.c.changed_at.desc(), changes.c.event_id).limit(LIST_SIZE)
    return (await conn.execute(query)).all()


async def seen_up_to(conn: AsyncConnection, viewer_id: UUID) -> datetime | None:
    query = select(seen.c.seen_up_to).where(seen.c.user_id == viewer_id)
    moment: datetime | None = await conn.scalar(query)
    return moment


async def unseen(conn: AsyncConnection, viewer_id: UUID, leader_id: UUID | None) -> int:
    """How many changes came after the viewer's «seen up to» (at most BADGE_CAP)."""
    since = await seen_up_to(conn, viewer_id)
    query = _of(leader_id, changes.c.event_id)
    if since:
        query = query.where(changes.c.changed_at > since)
    capped = query.limit(BADGE_CAP).subquery()
    return int(await conn.scalar(select(func.count()).select_from(capped)) or 0)


async def mark_seen(conn: AsyncConnection, viewer_id: UUID, up_to: datetime) -> None:
    """Move the viewer's «seen up to» forward (never back)."""
    stmt = insert(seen).values(user_id=viewer_id, seen_up_to=up_to)
    newest = func.greatest(seen.c.seen_up_to, stmt.excluded.seen_up_to)
    await conn.execute(
        stmt.on_conflict_do_update(index_elements=["user_id"], set_={"seen_up_to": newest})
    )
