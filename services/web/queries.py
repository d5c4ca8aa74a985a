"""Read-side queries: what the pages and the JSON API show. No business rules live here."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from schemas.census import CensusStatus
from services.web.adapters.tables import census_status, users


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
    place_keys = ("departamento", "municipio", "puesto", "direccion", "mesa")
    novedad_keys = ("novedad", "resolucion", "fecha_novedad")
    return {
        "user_id": row["user_id"],
        "cedula": row["cedula"],
        "status": status,
        "voting_place": {k: row[k] for k in place_keys} if row["departamento"] else None,
        "novedad": {k: row[k] for k in novedad_keys} if row["novedad"] else None,
        "fetched_at": row["fetched_at"],
        "error_message": row["error_message"],
        "attempt": row["attempt"] or 0,
        "next_retry_at": row["next_retry_at"],
        "updated_at": row["updated_at"],
    }
