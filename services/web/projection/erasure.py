"""A deleted account in the read model: «Cuenta eliminada», no phone, no cédula, no census rows.

The user row stays (its referrals stay counted under their leader; its own referrals keep their
leader), under `erased_cedula`, which no real cédula matches. A rebuild gets the same rows from
the erased records (opening.py): a sign-up and a profile change keep their history rows with the
erased values, every other record of the person writes nothing (an ADMIN's edits, a corrected
cédula, the claims filed against the account, census answers), so this removes those.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, case, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from schemas.envelope import Event
from schemas.events import UserCedulaCorrected, UserDeleted, UserEditedByAdmin
from schemas.personal import ERASED_NAME, erased_cedula
from services.web.adapters.account_history_tables import user_history
from services.web.adapters.census_change_tables import census_changes
from services.web.adapters.tables import cedula_claims, census_history, census_status, users

# History rows a rebuild does not write for a deleted person (their records open as ErasedRecord).
_SEALED_ONLY = (UserEditedByAdmin.type_name, UserCedulaCorrected.type_name)


def deleted(events: Sequence[Event]) -> list[tuple[UUID, datetime]]:
    """Who was deleted, and when (a deleted account is a disabled one from then on)."""
    return [(e.data.user_id, e.occurred_at) for e in events if isinstance(e, UserDeleted)]


async def erase(conn: AsyncConnection, deletions: list[tuple[UUID, datetime]]) -> set[str]:
    """Erase each person's rows; the cédulas whose counts (charts, places) must be redone: the
    person's real one, gone, and the erased one their row now has."""
    recount: set[str] = set()
    for user_id, at in deletions:
        query = select(users.c.cedula).where(users.c.user_id == user_id)
        cedula = (await conn.execute(query)).scalar_one_or_none()
        if cedula is None:
            continue
        await conn.execute(delete(census_status).where(census_status.c.user_id == user_id))
        await conn.execute(delete(census_history).where(census_history.c.cedula == cedula))
        await conn.execute(delete(census_changes).where(census_changes.c.cedula == cedula))
        await conn.execute(delete(cedula_claims).where(cedula_claims.c.user_id == user_id))
        await _erase_history(conn, user_id)
        await conn.execute(
            update(users)
            .where(users.c.user_id == user_id)
            .values(
                cedula=erased_cedula(user_id),
                nombre=ERASED_NAME,
                telefono="",
                disabled_at=func.coalesce(users.c.disabled_at, at),
            )
        )
        recount |= {cedula, erased_cedula(user_id)}
    return recount


async def _erase_history(conn: AsyncConnection, user_id: UUID) -> None:
    mine = user_history.c.user_id == user_id
    await conn.execute(delete(user_history).where(mine, user_history.c.kind.in_(_SEALED_ONLY)))
    await conn.execute(
        update(user_history)
        .where(mine)
        .values(
            cedula=_unless_null(user_history.c.cedula, erased_cedula(user_id)),
            nombre=_unless_null(user_history.c.nombre, ERASED_NAME),
            telefono=_unless_null(user_history.c.telefono, ""),
        )
    )


def _unless_null(column: ColumnElement[Any], value: str) -> ColumnElement[Any]:
    return case((column.is_(None), None), else_=value)
