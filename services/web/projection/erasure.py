"""A deleted account in the read model: «Cuenta eliminada», no phone, no cédula, no census rows.

The user row stays (its referrals stay counted under their leader; its own referrals keep their
leader), under `erased_cedula`, which no real cédula matches. A rebuild gets the same rows from
the erased records (opening.py), so this runs for the live projector and the rebuild alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from schemas.envelope import Event
from schemas.events import UserDeleted
from schemas.personal import ERASED_NAME
from services.web.adapters.census_change_tables import census_changes
from services.web.adapters.tables import census_history, census_status, users
from services.web.projection import voting_places


def erased_cedula(user_id: UUID) -> str:
    return f"x{user_id.hex}"


def deleted(events: Sequence[Event]) -> list[UUID]:
    return [event.data.user_id for event in events if isinstance(event, UserDeleted)]


async def erase(conn: AsyncConnection, user_ids: list[UUID]) -> None:
    for user_id in user_ids:
        query = select(users.c.cedula).where(users.c.user_id == user_id)
        cedula = (await conn.execute(query)).scalar_one_or_none()
        if cedula is None:
            continue
        await conn.execute(delete(census_status).where(census_status.c.user_id == user_id))
        await conn.execute(delete(census_history).where(census_history.c.cedula == cedula))
        await conn.execute(delete(census_changes).where(census_changes.c.cedula == cedula))
        await voting_places.recount(conn, {cedula})  # its place no longer counts it
        await conn.execute(
            update(users)
            .where(users.c.user_id == user_id)
            .values(cedula=erased_cedula(user_id), nombre=ERASED_NAME, telefono="")
        )
