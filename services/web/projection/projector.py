"""Applies one consumed record to the read tables, exactly once, and tells the web processes.

Rows, read position and the change notification share one transaction: NOTIFY is delivered only
when the transaction commits, so a browser never hears of a change the tables do not show. Each
transaction holds the read model's shared lock, which a rebuild takes exclusively to swap tables.
"""

from __future__ import annotations

import json

import structlog
from aiokafka.structs import ConsumerRecord
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from schemas.envelope import Event, decode_event
from schemas.events import EVENT_TYPES
from services.web.projection.handlers import HANDLERS
from services.web.projection.positions import claim

CHANGES_CHANNEL = "read_model_changes"
SWAP_LOCK = 0x43454E53  # advisory lock key of the read model ("CENS")
log = structlog.get_logger(__name__)


async def apply_record(conn: AsyncConnection, record: ConsumerRecord, event: Event) -> bool:
    """Claim the record's position and apply its event; False when it was applied before."""
    if not await claim(conn, record.topic, record.partition, record.offset):
        return False
    handler = HANDLERS.get(type(event))
    if handler is not None:
        await handler(conn, event)
    return True


class Projector:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def project(self, record: ConsumerRecord) -> bool:
        """Apply the record; False when it was applied before. EventDecodeError on bad input."""
        event = decode_event(record.value or b"", EVENT_TYPES)
        async with self._engine.begin() as conn:
            await conn.execute(select(func.pg_advisory_xact_lock_shared(SWAP_LOCK)))
            if not await apply_record(conn, record, event):
                return False
            if type(event) in HANDLERS:
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
