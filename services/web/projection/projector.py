"""Applies one consumed record to the read tables, exactly once, and tells the web processes.

Rows, read position and the change notification share one transaction: NOTIFY is delivered only
when the transaction commits, so a browser never hears of a change the tables do not show.
"""

from __future__ import annotations

import json

import structlog
from aiokafka.structs import ConsumerRecord
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.envelope import Event, decode_event
from schemas.events import EVENT_TYPES
from services.web.projection.handlers import HANDLERS
from services.web.projection.positions import claim

CHANGES_CHANNEL = "read_model_changes"
log = structlog.get_logger(__name__)


class Projector:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def project(self, record: ConsumerRecord) -> bool:
        """Apply the record; False when it was applied before. EventDecodeError on bad input."""
        event = decode_event(record.value or b"", EVENT_TYPES)
        async with self._engine.begin() as conn:
            if not await claim(conn, record.topic, record.partition, record.offset):
                return False
            handler = HANDLERS.get(type(event))
            if handler is not None:
                await handler(conn, event)
                await conn.execute(select(func.pg_notify(CHANGES_CHANNEL, _change_payload(event))))
        return True


def _change_payload(event: Event) -> str:
    data = event.data  # type: ignore[attr-defined]
    return json.dumps(
        {
            "type": event.type,
            "event_id": str(event.event_id),
            "user_id": str(data.user_id),
            "cedula": getattr(data, "cedula", None),
        }
    )
