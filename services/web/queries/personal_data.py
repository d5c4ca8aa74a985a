"""Everything the read model holds about one person, for their right of access (Ley 1581 de
2012): the account, who referred them, their census answer and its history, and the referidos
they registered (with their census only for a leader, as the Referidos page shows it)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import RowMapping, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.web.adapters.tables import users
from services.web.queries.census import history, user_with_census
from services.web.queries.listing import UserFilter, stream_users

ACCOUNT = ("cedula", "nombre", "telefono", "role", "referral_code", "referral_goal")
ACCOUNT_DATES = ("registered_at", "disabled_at")
CENSUS = ("status", "departamento", "municipio", "puesto", "direccion", "mesa", "novedad")
CENSUS_MORE = ("resolucion", "fecha_novedad", "fetched_at", "source", "raw_response")
HISTORY = ("occurred_at", "status", "departamento", "municipio", "puesto", "direccion", "mesa")
REFERRAL = ("nombre", "cedula", "telefono", "registered_at")
REFERRAL_CENSUS = ("status", "departamento", "municipio", "puesto", "mesa")
HISTORY_LIMIT = 10_000  # every answer there is; a person has a handful


async def personal_data(engine: AsyncEngine, user_id: UUID, leader: bool) -> dict[str, Any]:
    async with engine.connect() as conn:
        row = (await conn.execute(user_with_census().where(users.c.user_id == user_id))).first()
        if row is None:
            return {}
        me = row._mapping
        referrer = await _referrer_name(conn, me["referrer_id"])
        answers = await history(conn, me["cedula"], HISTORY_LIMIT)
    referral_fields = REFERRAL + (REFERRAL_CENSUS if leader else ())
    referrals = [
        _pick(r, referral_fields)
        async for r in stream_users(engine, UserFilter(referrer_id=user_id))
    ]
    census = _pick(me, CENSUS + CENSUS_MORE) if me["status"] is not None else None
    return {
        "cuenta": _pick(me, ACCOUNT + ACCOUNT_DATES) | {"referido_por": referrer},
        "censo": census,
        "historial_del_censo": [_pick(a, HISTORY) for a in answers],
        "referidos": referrals,
    }


async def _referrer_name(conn: AsyncConnection, referrer_id: UUID | None) -> str | None:
    if referrer_id is None:
        return None
    query = select(users.c.nombre).where(users.c.user_id == referrer_id)
    return (await conn.execute(query)).scalar()


def _pick(row: RowMapping, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: row[name] for name in fields}
