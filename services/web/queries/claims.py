"""Claims for a taken cédula as the admins' «Reclamos» page reads them: newest first, one status
or all, with the account's current holder and the ADMIN who decided; the count of open claims."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.web.adapters.tables import cedula_claims as claims
from services.web.adapters.tables import users

STATUSES = ("abierto", "transferido", "rechazado")
OPEN = "abierto"
PAGE_LIMIT = 200  # claims are rare: a page shows the newest 200 of a status

_holder = users.alias("holder")
_decider = users.alias("decider")


async def latest(conn: AsyncConnection, status: str | None) -> list[Row[Any]]:
    """The newest claims of `status` (None: all), each with the holder's and decider's names."""
    query = (
        select(
            claims,
            _holder.c.nombre.label("holder_nombre"),
            _decider.c.nombre.label("decider_nombre"),
        )
        .select_from(
            claims.outerjoin(_holder, _holder.c.user_id == claims.c.user_id).outerjoin(
                _decider, _decider.c.user_id == claims.c.resolved_by
            )
        )
        .order_by(claims.c.filed_at.desc(), claims.c.claim_id)
        .limit(PAGE_LIMIT)
    )
    if status is not None:
        query = query.where(claims.c.status == status)
    return list((await conn.execute(query)).all())


async def counts(conn: AsyncConnection) -> dict[str, int]:
    """How many claims there are in each status (every status named, zero included)."""
    query = select(claims.c.status, func.count()).group_by(claims.c.status)
    found = {status: int(count) for status, count in (await conn.execute(query)).all()}
    return {status: found.get(status, 0) for status in STATUSES}


async def open_count(conn: AsyncConnection) -> int:
    query = select(func.count()).select_from(claims).where(claims.c.status == OPEN)
    return int(await conn.scalar(query) or 0)


async def claim(conn: AsyncConnection, claim_id: UUID) -> Row[Any] | None:
    return (await conn.execute(select(claims).where(claims.c.claim_id == claim_id))).first()
