"""Accounts as the pages need them: the viewer's own row, referral counts, stuck censuses."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.web.adapters.tables import census_status, users
from services.web.queries.listing import WAITING


async def account_row(conn: AsyncConnection, user_id: UUID) -> Row[*tuple[Any, ...]] | None:
    query = select(
        users.c.role,
        users.c.cedula,
        users.c.nombre,
        users.c.telefono,
        users.c.referral_code,
        users.c.referral_goal,
        users.c.disabled_at,
        users.c.referrer_id,
    ).where(users.c.user_id == user_id)
    return (await conn.execute(query)).first()


async def referral_count(conn: AsyncConnection, user_id: UUID) -> int:
    query = select(func.count()).select_from(users).where(users.c.referrer_id == user_id)
    return int(await conn.scalar(query) or 0)


async def stuck_count(
    conn: AsyncConnection, before: datetime, referrer_id: UUID | None = None
) -> int:
    """Census records waiting (PENDING or PROCESSING) since before `before`: everyone's, or
    those of one leader's referrals."""
    query = select(func.count()).where(
        census_status.c.status.in_(WAITING), census_status.c.updated_at < before
    )
    if referrer_id is not None:
        query = query.select_from(
            census_status.join(users, users.c.cedula == census_status.c.cedula)
        ).where(users.c.referrer_id == referrer_id)
    return int(await conn.scalar(query) or 0)
