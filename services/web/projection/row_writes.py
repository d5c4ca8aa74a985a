"""Every kind of row write the read model gets: its table, its columns, and what it does to a
row that exists (the guards of the census status live here)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Table, or_

from schemas.census import CensusStatus
from services.web.adapters.tables import census_history, census_status, users
from services.web.projection.writes import OnExisting, Write

PLACE_FIELDS = ("departamento", "municipio", "puesto", "direccion", "mesa")
RESULT_FIELDS = (*PLACE_FIELDS, "novedad", "resolucion", "fecha_novedad")
_STATUS_KEY = ("cedula", "user_id")
_LOOKUP = ("attempt", "source", "request_id", "updated_at")


def _not_this_request(table: Table, excluded: Any) -> ColumnElement[bool]:
    """A request moves the row back to PENDING only if the row is not already about it."""
    return or_(table.c.request_id.is_(None), table.c.request_id != excluded.request_id)


def _not_answered(table: Table, excluded: Any) -> ColumnElement[bool]:
    """A late "started" must not hide the answer already recorded for the same request."""
    waiting = [CensusStatus.PENDING.value, CensusStatus.PROCESSING.value]
    return or_(table.c.request_id != excluded.request_id, table.c.status.in_(waiting))


def _status_upsert(name: str, columns: tuple[str, ...], guard: Any = None) -> Write:
    return Write(
        name,
        census_status,
        (*_STATUS_KEY, *columns),
        OnExisting.UPSERT,
        conflict=("cedula",),
        updates=columns,  # never the user: the row belongs to whoever registered the cédula
        guard=guard,
    )


USER_ROW = (
    "user_id",
    "cedula",
    "nombre",
    "telefono",
    "referrer_id",
    "referral_code",
    "referral_goal",
    "role",
    "registered_at",
    "updated_at",
)
NEW_USER = Write("new user", users, USER_ROW, OnExisting.KEEP)
NEW_STATUS = Write(
    "first status",
    census_status,
    (*_STATUS_KEY, "status", "request_id", "updated_at"),
    OnExisting.KEEP,
)
PROFILE = Write(
    "profile",
    users,
    ("user_id", "nombre", "telefono", "referral_goal", "updated_at"),
    OnExisting.UPDATE,
    match="user_id",
)
ROLE = Write("role", users, ("user_id", "role", "updated_at"), OnExisting.UPDATE, match="user_id")
REQUESTED = _status_upsert("requested", ("status", "request_id", "updated_at"), _not_this_request)
STARTED = _status_upsert("started", ("status", "next_retry_at", *_LOOKUP), _not_answered)
ANSWERED = _status_upsert(
    "answered",
    (
        "status",
        *RESULT_FIELDS,
        "fetched_at",
        "error_message",
        "raw_response",
        "next_retry_at",
        *_LOOKUP,
    ),
)
FAILED = _status_upsert(
    "failed", ("status", "error_message", "raw_response", "next_retry_at", *_LOOKUP)
)
HISTORY = Write(
    "history",
    census_history,
    (
        "event_id",
        "cedula",
        "status",
        *PLACE_FIELDS,
        "novedad",
        "error_message",
        "attempt",
        "occurred_at",
    ),
    OnExisting.KEEP,
)
