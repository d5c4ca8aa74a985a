"""What the admin's user page reads for «Historial» and the hand-over: an account's history rows
with the names of who acted and of the leaders, the leaders who may take over referrals, and a
leader's direct referrals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncConnection

from schemas.events import Role
from services.web.adapters.account_history_tables import user_history as history
from services.web.adapters.tables import users

Rows = Sequence[Row[*tuple[Any, ...]]]
HISTORY_LIMIT = 500  # the newest rows shown; a person's account rarely has more


async def history_of(conn: AsyncConnection, user_id: UUID) -> Rows:
    """The account's history, oldest first (old → new values are read from the rows before),
    each row with `actor_nombre`, `leader_nombre` and `previous_leader_nombre`."""
    actor, leader, previous = users.alias("actor"), users.alias("leader"), users.alias("previous")
    query = (
        select(
            history,
            actor.c.nombre.label("actor_nombre"),
            leader.c.nombre.label("leader_nombre"),
            previous.c.nombre.label("previous_leader_nombre"),
        )
        .select_from(
            history.outerjoin(actor, actor.c.user_id == history.c.actor_id)
            .outerjoin(leader, leader.c.user_id == history.c.referrer_id)
            .outerjoin(previous, previous.c.user_id == history.c.previous_referrer_id)
        )
        .where(history.c.user_id == user_id)
        .order_by(history.c.occurred_at.desc(), history.c.event_id.desc())
        .limit(HISTORY_LIMIT)
    )
    return list(reversed((await conn.execute(query)).all()))


async def leaders(conn: AsyncConnection, other_than: UUID) -> Rows:
    """Active leaders and admins who may take over referrals, by name."""
    query = (
        select(users.c.user_id, users.c.nombre, users.c.role)
        .where(
            users.c.role.in_([Role.LEADER.value, Role.ADMIN.value]),
            users.c.disabled_at.is_(None),
            users.c.user_id != other_than,
        )
        .order_by(users.c.nombre, users.c.user_id)
    )
    return (await conn.execute(query)).all()


async def referrals_of(conn: AsyncConnection, leader_id: UUID) -> Rows:
    query = (
        select(users.c.user_id, users.c.nombre, users.c.cedula, users.c.registered_at)
        .where(users.c.referrer_id == leader_id)
        .order_by(users.c.nombre, users.c.user_id)
    )
    return (await conn.execute(query)).all()


async def name_of(conn: AsyncConnection, user_id: UUID | None) -> str | None:
    if user_id is None:
        return None
    name: str | None = await conn.scalar(select(users.c.nombre).where(users.c.user_id == user_id))
    return name
