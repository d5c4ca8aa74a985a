"""The census record of one user: as the JSON API shows it, as the pages show it, its history."""

from __future__ import annotations

from typing import Any, TypeAlias
from uuid import UUID

from sqlalchemy import RowMapping, Select, select
from sqlalchemy.ext.asyncio import AsyncConnection

from schemas.census import CensusStatus
from services.web.adapters.tables import census_history, census_status, users

PLACE_KEYS = ("departamento", "municipio", "puesto", "direccion", "mesa")
NOVEDAD_KEYS = ("novedad", "resolucion", "fecha_novedad")
AnySelect: TypeAlias = Select[*tuple[Any, ...]]  # a SELECT of any columns


def user_with_census() -> AnySelect:
    """users ⟕ census_status: every column a page needs about a user and their census."""
    return select(
        users,
        *(c for c in census_status.c if c.name not in ("cedula", "user_id", "updated_at")),
        census_status.c.updated_at.label("census_updated_at"),
    ).select_from(users.outerjoin(census_status, census_status.c.cedula == users.c.cedula))


async def user_census_row(conn: AsyncConnection, user_id: UUID) -> RowMapping | None:
    query = user_with_census().where(users.c.user_id == user_id)
    return (await conn.execute(query)).mappings().first()


async def history(conn: AsyncConnection, cedula: str, limit: int = 50) -> list[RowMapping]:
    query = (
        select(census_history)
        .where(census_history.c.cedula == cedula)
        .order_by(census_history.c.occurred_at.desc())
        .limit(limit)
    )
    return list((await conn.execute(query)).mappings())


async def census_for_user(conn: AsyncConnection, user_id: UUID) -> dict[str, Any] | None:
    """The user's census record, PENDING when no answer exists yet; None for an unknown user."""
    row = (
        (
            await conn.execute(
                select(users.c.user_id, users.c.cedula, census_status)
                .select_from(
                    users.outerjoin(census_status, census_status.c.cedula == users.c.cedula)
                )
                .where(users.c.user_id == user_id)
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    return _census_view(row)


def _census_view(row: Any) -> dict[str, Any]:
    status = row["status"] or CensusStatus.PENDING.value
    return {
        "user_id": row["user_id"],
        "cedula": row["cedula"],
        "status": status,
        "voting_place": {k: row[k] for k in PLACE_KEYS} if row["departamento"] else None,
        "novedad": {k: row[k] for k in NOVEDAD_KEYS} if row["novedad"] else None,
        "fetched_at": row["fetched_at"],
        "error_message": row["error_message"],
        "attempt": row["attempt"] or 0,
        "next_retry_at": row["next_retry_at"],
        "updated_at": row["updated_at"],
    }
