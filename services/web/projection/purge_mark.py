"""What `censo ops purge` removed stays removed: an event older than the purge mark is applied
without its raw census response, live or in a rebuild (Kafka still holds the record, sealed
with its person's key; see docs/operations.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from schemas.envelope import Event
from schemas.events import ValidationFailed
from services.web.adapters.tables import purge_marks

RAW_RESPONSES = "census_raw"


async def purged_before(conn: AsyncConnection) -> datetime | None:
    query = select(purge_marks.c.purged_before).where(purge_marks.c.mark_key == RAW_RESPONSES)
    return (await conn.execute(query)).scalar_one_or_none()


def without_purged(events: Sequence[Event], before: datetime | None) -> list[Event]:
    """The events as they are to be applied: raw responses older than `before` left out."""
    if before is None:
        return list(events)
    return [_stripped(event) if _purged(event, before) else event for event in events]


def _purged(event: Event, before: datetime) -> bool:
    return isinstance(event, ValidationFailed) and event.occurred_at < before


def _stripped(event: Event) -> Event:
    data = event.data.model_copy(update={"raw_response": None})  # type: ignore[attr-defined]  # a ValidationFailed
    return event.model_copy(update={"data": data})
