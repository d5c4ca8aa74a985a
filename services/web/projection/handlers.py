"""How each event changes the read tables; every function runs in the projector's transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from sqlalchemy import or_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from schemas.census import CensusStatus
from schemas.envelope import Event
from schemas.events import (
    CedulaValidated,
    UserProfileUpdated,
    UserRegistered,
    UserRoleChanged,
    ValidationFailed,
    ValidationRequested,
    ValidationStarted,
)
from services.web.adapters.tables import census_history, census_status, users

Handler = Callable[[AsyncConnection, Event], Awaitable[None]]
PLACE_FIELDS = ("departamento", "municipio", "puesto", "direccion", "mesa")
CLEARED_RESULT = {name: None for name in (*PLACE_FIELDS, "novedad", "resolucion", "fecha_novedad")}


def _now() -> datetime:
    return datetime.now(UTC)


async def user_registered(conn: AsyncConnection, event: UserRegistered) -> None:
    data = event.data
    row = data.model_dump(
        include={
            "user_id",
            "cedula",
            "nombre",
            "telefono",
            "referrer_id",
            "referral_code",
            "referral_goal",
            "registered_at",
        }
    )
    await conn.execute(
        insert(users)
        .values(**row, role=data.role.value, updated_at=event.occurred_at)
        .on_conflict_do_nothing()
    )
    await conn.execute(
        insert(census_status)
        .values(
            cedula=data.cedula,
            user_id=data.user_id,
            status=CensusStatus.PENDING.value,
            request_id=event.event_id,
            updated_at=event.occurred_at,
        )
        .on_conflict_do_nothing()
    )


async def profile_updated(conn: AsyncConnection, event: UserProfileUpdated) -> None:
    data = event.data
    await conn.execute(
        update(users)
        .where(users.c.user_id == data.user_id)
        .values(
            nombre=data.nombre,
            telefono=data.telefono,
            referral_goal=data.referral_goal,
            updated_at=event.occurred_at,
        )
    )


async def role_changed(conn: AsyncConnection, event: UserRoleChanged) -> None:
    await conn.execute(
        update(users)
        .where(users.c.user_id == event.data.user_id)
        .values(role=event.data.role.value, updated_at=event.occurred_at)
    )


async def validation_requested(conn: AsyncConnection, event: ValidationRequested) -> None:
    """PENDING, unless the worker already reported on this very request (topics race)."""
    data = event.data
    statement = insert(census_status).values(
        cedula=data.cedula,
        user_id=data.user_id,
        status=CensusStatus.PENDING.value,
        request_id=event.event_id,
        updated_at=event.occurred_at,
    )
    await conn.execute(
        statement.on_conflict_do_update(
            index_elements=[census_status.c.cedula],
            set_={
                "status": CensusStatus.PENDING.value,
                "request_id": event.event_id,
                "updated_at": event.occurred_at,
            },
            where=or_(
                census_status.c.request_id.is_(None), census_status.c.request_id != event.event_id
            ),
        )
    )


async def validation_started(conn: AsyncConnection, event: ValidationStarted) -> None:
    data = event.data
    await _upsert_status(
        conn,
        event,
        status=CensusStatus.PROCESSING.value,
        attempt=data.attempt,
        source=data.source,
        next_retry_at=None,
        only_if_not_answered=True,
    )


async def cedula_validated(conn: AsyncConnection, event: CedulaValidated) -> None:
    data = event.data
    place = data.voting_place.model_dump() if data.voting_place else {}
    novedad = data.novedad
    values = {
        **CLEARED_RESULT,
        **place,
        "status": data.status.value,
        "fetched_at": data.fetched_at,
        "attempt": data.attempt,
        "source": data.source,
        "error_message": None,
        "raw_response": None,
        "next_retry_at": None,
        **(
            {
                "novedad": novedad.novedad,
                "resolucion": novedad.resolucion,
                "fecha_novedad": novedad.fecha,
            }
            if novedad
            else {}
        ),
    }
    await _upsert_status(conn, event, **values)
    await _record_history(
        conn, event, data.status.value, place=place, novedad=novedad.novedad if novedad else None
    )


async def validation_failed(conn: AsyncConnection, event: ValidationFailed) -> None:
    data = event.data
    await _upsert_status(
        conn,
        event,
        status=data.status.value,
        attempt=data.attempt,
        source=data.source,
        error_message=data.reason,
        raw_response=data.raw_response,
        next_retry_at=data.next_attempt_at,
    )
    await _record_history(conn, event, data.status.value, error_message=data.reason)


async def _upsert_status(
    conn: AsyncConnection, event: Event, only_if_not_answered: bool = False, **values: object
) -> None:
    data = event.data  # type: ignore[attr-defined]
    row = {**values, "request_id": data.request_id, "updated_at": event.occurred_at}
    statement = insert(census_status).values(cedula=data.cedula, user_id=data.user_id, **row)
    # A late "started" must not hide the answer already recorded for the same request.
    guard = (
        or_(
            census_status.c.request_id != data.request_id,
            census_status.c.status.in_([CensusStatus.PENDING.value, CensusStatus.PROCESSING.value]),
        )
        if only_if_not_answered
        else None
    )
    await conn.execute(
        statement.on_conflict_do_update(
            index_elements=[census_status.c.cedula], set_=row, where=guard
        )
    )


async def _record_history(
    conn: AsyncConnection,
    event: Event,
    status: str,
    place: dict | None = None,
    novedad: str | None = None,
    error_message: str | None = None,
) -> None:
    data = event.data  # type: ignore[attr-defined]
    await conn.execute(
        insert(census_history)
        .values(
            event_id=event.event_id,
            cedula=data.cedula,
            status=status,
            novedad=novedad,
            error_message=error_message,
            attempt=data.attempt,
            occurred_at=event.occurred_at,
            **(place or {}),
        )
        .on_conflict_do_nothing()
    )


HANDLERS: dict[type[Event], Handler] = {
    UserRegistered: user_registered,  # type: ignore[dict-item]
    UserProfileUpdated: profile_updated,  # type: ignore[dict-item]
    UserRoleChanged: role_changed,  # type: ignore[dict-item]
    ValidationRequested: validation_requested,  # type: ignore[dict-item]
    ValidationStarted: validation_started,  # type: ignore[dict-item]
    CedulaValidated: cedula_validated,  # type: ignore[dict-item]
    ValidationFailed: validation_failed,  # type: ignore[dict-item]
}
