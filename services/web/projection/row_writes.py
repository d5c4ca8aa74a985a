"""Every kind of row write the read model gets: its table, its columns, and what it does to a
row that exists (the guards of the census status live here)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Table, and_, or_

from schemas.census import CensusStatus
from services.web.adapters.tables import census_capacity, census_history, census_status, users
from services.web.projection.writes import OnExisting, Write

PLACE_FIELDS = ("departamento", "municipio", "puesto", "direccion", "mesa")
RESULT_FIELDS = (*PLACE_FIELDS, "novedad", "resolucion", "fecha_novedad")
_STATUS_KEY = ("cedula", "user_id")
_LOOKUP = ("attempt", "source", "request_id", "updated_at")


# A cédula's status row follows its newest event: a write about another request than the row's
# applies only if it is at least as recent (`updated_at` is the event's occurred_at), so a request,
# a "started" or an answer projected late (a rebuild reading topics in another order, lag, a
# redrive) never hides a newer state. A write about the row's own request is judged by what the row
# shows, not by time: the worker's clock may trail the registration's by a little.


def _newer_than_row(table: Table, excluded: Any) -> ColumnElement[bool]:
    at_least_as_recent: ColumnElement[bool] = table.c.updated_at <= excluded.updated_at
    return at_least_as_recent


def _requested(table: Table, excluded: Any) -> ColumnElement[bool]:
    """A request moves the row back to PENDING unless the row is already about it, or newer."""
    other_request = or_(table.c.request_id.is_(None), table.c.request_id != excluded.request_id)
    return and_(other_request, _newer_than_row(table, excluded))


def _started(table: Table, excluded: Any) -> ColumnElement[bool]:
    """A late "started" must not hide the answer already recorded for the same request."""
    waiting = [CensusStatus.PENDING.value, CensusStatus.PROCESSING.value]
    same_request = table.c.request_id == excluded.request_id
    return or_(
        and_(same_request, table.c.status.in_(waiting)),
        and_(~same_request, _newer_than_row(table, excluded)),
    )


def _outcome(table: Table, excluded: Any) -> ColumnElement[bool]:
    """An answer or failure of the row's own request always lands (the worker answers a request's
    attempts in order on one partition); one of another request only if it is newer."""
    return or_(table.c.request_id == excluded.request_id, _newer_than_row(table, excluded))


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
    "original_referrer_id",
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
# UserDisabled sets `disabled_at` (when it happened), UserEnabled clears it.
ACCOUNT_STATE = Write(
    "account state",
    users,
    ("user_id", "disabled_at", "updated_at"),
    OnExisting.UPDATE,
    match="user_id",
)
# What a lookup of the current request has said so far: cleared by a new request (and by the start
# of another request's lookup), so the row reads the same whichever order the events came in.
LOOKUP_STATE = ("error_message", "raw_response", "next_retry_at")
REQUESTED = _status_upsert(
    "requested",
    ("status", "request_id", "updated_at", "attempt", "source", *LOOKUP_STATE),
    _requested,
)
STARTED = _status_upsert("started", ("status", *LOOKUP_STATE, *_LOOKUP), _started)
ANSWERED = _status_upsert("answered", ("status", *LOOKUP_STATE, *_LOOKUP), _outcome)
FAILED = _status_upsert("failed", ("status", *LOOKUP_STATE, *_LOOKUP), _outcome)


def _newer_answer(table: Table, excluded: Any) -> ColumnElement[bool]:
    """The census's newest answer about the cédula, by when it was fetched (an answer re-used
    from the worker's store keeps its own `fetched_at`)."""
    return or_(table.c.fetched_at.is_(None), table.c.fetched_at <= excluded.fetched_at)


# Where the person votes (or the novedad), from the newest answer: kept while a re-check is
# pending or failing, so the last known place still shows.
# The row exists by then (the answer's status write comes first); `status` and `updated_at` are in
# the insert only because PostgreSQL checks a proposed row's NOT NULL columns before the conflict.
RESULT = Write(
    "result",
    census_status,
    (*_STATUS_KEY, "status", "updated_at", *RESULT_FIELDS, "fetched_at"),
    OnExisting.UPSERT,
    conflict=("cedula",),
    updates=(*RESULT_FIELDS, "fetched_at"),
    guard=_newer_answer,
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


def _newer_report(table: Table, excluded: Any) -> ColumnElement[bool]:
    """Only the newest capacity report counts: an older one, read late, changes nothing."""
    newer: ColumnElement[bool] = table.c.reported_at <= excluded.reported_at
    return newer


CAPACITY = Write(
    "capacity",
    census_capacity,
    ("report_key", "event_id", "reported_at", "report"),
    OnExisting.UPSERT,
    conflict=("report_key",),
    updates=("event_id", "reported_at", "report"),
    guard=_newer_report,
)
