"""Keeps «Novedades»: after the writes of a batch, each answer of the batch (a CedulaValidated,
now in census_history) is compared with the cédula's previous answer there; when the status,
departamento, municipio, puesto or mesa differ, a census_changes row keyed by the answer's event
records before and after. Failures are not answers and compare with nothing.

Keyed by event and derived from census_history alone: a redelivery or a rebuild writes the same
rows, and an answer equal to the previous one writes none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, any_, bindparam, or_, select, true
from sqlalchemy.dialects.postgresql import ARRAY, Insert, insert
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import Uuid

from schemas.census import FINAL_STATUSES
from schemas.envelope import Event
from schemas.events import CedulaValidated
from services.web.adapters.census_change_tables import COMPARED, census_changes
from services.web.adapters.tables import census_history

ANSWERS = sorted(status.value for status in FINAL_STATUSES)


def answers(events: Iterable[Event]) -> list[UUID]:
    """The event ids of the batch's answers (their history rows are written by now)."""
    return [event.event_id for event in events if isinstance(event, CedulaValidated)]


async def record(conn: AsyncConnection, event_ids: list[UUID]) -> list[str]:
    """Record the changes the answers `event_ids` made; the cédulas of the rows new here."""
    if not event_ids:
        return []
    ids = bindparam("answers", event_ids, type_=ARRAY(Uuid()))
    changes = _insert(lambda after: after.c.event_id == any_(ids))
    rows = await conn.execute(changes.returning(census_changes.c.cedula))
    return [row.cedula for row in rows]


async def record_all(conn: AsyncConnection) -> None:
    """Record the changes of every answer in census_history (a rebuild, once its replay ends)."""
    await conn.execute(_insert(lambda after: after.c.status.in_(ANSWERS)))


def _insert(answers_of: Callable[[Any], ColumnElement[bool]]) -> Insert:
    """The insert of the changes made by the answers `answers_of(census_history)` selects."""
    after, before = census_history.alias("after"), census_history.alias("before")
    previous = (
        select(*(before.c[name] for name in COMPARED))
        .where(
            before.c.cedula == after.c.cedula,
            before.c.occurred_at < after.c.occurred_at,
            before.c.status.in_(ANSWERS),
        )
        .order_by(before.c.occurred_at.desc(), before.c.event_id.desc())
        .limit(1)
        .lateral("previous")
    )
    changed = (
        select(
            after.c.event_id,
            after.c.cedula,
            after.c.occurred_at,
            *(previous.c[name] for name in COMPARED),
            *(after.c[name] for name in COMPARED),
        )
        .select_from(after.join(previous, true()))
        .where(
            answers_of(after),
            or_(*(previous.c[n].is_distinct_from(after.c[n]) for n in COMPARED)),
        )
    )
    columns = [
        "event_id",
        "cedula",
        "changed_at",
        *(f"before_{name}" for name in COMPARED),
        *(f"after_{name}" for name in COMPARED),
    ]
    return insert(census_changes).from_select(columns, changed).on_conflict_do_nothing()
