"""Whom a reset link may be made for, as the pages check before showing a name."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.web.adapters.tables import users


@dataclass(frozen=True)
class Person:
    user_id: UUID
    nombre: str


async def person_for_reset(
    conn: AsyncConnection, user_id: UUID, referrer_id: UUID | None
) -> Person | None:
    """The user, when `referrer_id` referred them directly (None: anyone, for an ADMIN)."""
    query = select(users.c.user_id, users.c.nombre).where(users.c.user_id == user_id)
    if referrer_id is not None:
        query = query.where(users.c.referrer_id == referrer_id)
    row = (await conn.execute(query)).first()
    return Person(row.user_id, row.nombre) if row else None
