"""Counts the census lookups that ended (an answer or a failure) per minute, host and status, for
Operación's chart. Runs before the batch's writes: an event already in census_history (keyed by
event id) was counted when it got there, so a redelivery or a duplicate counts nothing more."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.types import Uuid

from schemas.envelope import Event
from schemas.events import CedulaValidated, ValidationFailed
from services.web.adapters.chart_tables import lookup_minutes
from services.web.adapters.tables import census_history


async def count(conn: AsyncConnection, events: Sequence[Event]) -> None:
    ended = {e.event_id: e for e in events if isinstance(e, CedulaValidated | ValidationFailed)}
    if not ended:
        return
    ids = bindparam("ids", list(ended), type_=ARRAY(Uuid()))
    seen = await conn.scalars(
        select(census_history.c.event_id).where(census_history.c.event_id == any_(ids))
    )
    for event_id in seen:
        del ended[event_id]
    per_minute: Counter[tuple[datetime, str, str]] = Counter(
        (_minute(e.occurred_at), e.data.source, e.data.status.value) for e in ended.values()
    )
    if not per_minute:
        return
    stmt = insert(lookup_minutes)
    add = stmt.on_conflict_do_update(
        index_elements=["minute", "host", "status"],
        set_={"lookups": lookup_minutes.c.lookups + stmt.excluded.lookups},
    )
    rows = [
        {"minute": m, "host": h, "status": s, "lookups": n} for (m, h, s), n in per_minute.items()
    ]
    await conn.execute(add, rows)


def _minute(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)
