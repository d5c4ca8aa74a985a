"""Applies consumed records to the read tables, exactly once, and tells the web processes.

Rows, read position, the change notification (and, for a disabled or deleted account or one
transferred to its cédula's claimant, the end of its sessions) share one transaction: NOTIFY is
delivered only when the transaction commits, so a browser never hears of a change the tables do
not show. Each transaction holds the read model's shared lock, which a rebuild takes
exclusively to swap tables. The live projector applies one record per transaction, a rebuild
thousands, through the same `apply_records`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TypeGuard

import structlog
from aiokafka.structs import ConsumerRecord
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from schemas.envelope import Event
from schemas.events import CedulaClaimResolved, ClaimOutcome, UserDeleted, UserDisabled
from services.web.auth.session_store import end_sessions_of
from services.web.live.audience import CENSUS_CHANGED
from services.web.projection import (
    batch,
    census_changes,
    charts,
    erasure,
    lookup_minutes,
    purge_mark,
    voting_places,
)
from services.web.projection.handlers import ProjectedEvent, operations
from services.web.projection.opening import RecordOpener
from services.web.projection.positions import claim

CHANGES_CHANNEL = "read_model_changes"
SWAP_LOCK = 0x43454E53  # advisory lock key of the read model ("CENS")
log = structlog.get_logger(__name__)
Decoded = tuple[ConsumerRecord, Event]


async def apply_records(
    conn: AsyncConnection,
    decoded: Sequence[Decoded],
    changed: list[str] | None = None,
    *,
    derive: bool = True,
) -> list[Event]:
    """Claim the records' positions and apply the events not applied before, in record order;
    the events applied. `changed` gets the cédulas whose census answer changed (novedades).
    Without `derive`, the derived tables are left for `derived_tables.derive_all` (a rebuild's
    replay fills them once at its end)."""
    new = await claim(conn, [record for record, _ in decoded])
    events = [event for (_, event), is_new in zip(decoded, new, strict=True) if is_new]
    events = purge_mark.without_purged(events, await purge_mark.purged_before(conn))
    await lookup_minutes.count(conn, events)  # first: it tells new answers by census_history
    # People whose cédula or leader changes are counted again under their cédulas before and after.
    moved_ids = voting_places.moved(events)
    moved = await voting_places.cedulas_of(conn, moved_ids)
    await batch.apply(conn, [op for event in events for op in operations(event)])
    moved |= await voting_places.cedulas_of(conn, moved_ids)
    moved |= await erasure.erase(conn, erasure.deleted(events))
    await charts.recount(conn, charts.touched(events) | moved)
    if not derive:
        return events
    await voting_places.recount(conn, voting_places.touched(events) | moved)
    novedades = await census_changes.record(conn, census_changes.answers(events))
    if changed is not None:
        changed += novedades
    return events


def decode(record: ConsumerRecord) -> Event:
    """A record in clear as its event (tests; sealed records need a `RecordOpener` with keys)."""
    return RecordOpener(None).open(record)


class Projector:
    """`opener` None: records in clear only (tests that publish no sealed record)."""

    def __init__(self, engine: AsyncEngine, opener: RecordOpener | None = None) -> None:
        self._engine = engine
        self._opener = opener or RecordOpener(None)

    async def project(self, record: ConsumerRecord) -> bool:
        """Apply the record; False when it was applied before. EventDecodeError on bad input;
        KeysUnavailable (tried again later) when the registration API cannot give its key."""
        await self._opener.prepare([record])
        event = self._opener.open(record)
        async with self._engine.begin() as conn:
            await conn.execute(select(func.pg_advisory_xact_lock_shared(SWAP_LOCK)))
            changed: list[str] = []
            if not await apply_records(conn, [(record, event)], changed):
                return False
            if isinstance(event, UserDisabled | UserDeleted) or _transferred(event):
                await end_sessions_of(conn, event.data.user_id)  # live only: not in a rebuild
            if isinstance(event, UserDeleted):
                self._opener.forget(event.data.user_id)
            if isinstance(event, ProjectedEvent):
                await conn.execute(select(func.pg_notify(CHANGES_CHANNEL, _change_payload(event))))
                if changed:  # the answer differs from the one before: a novedad
                    payload = _change_payload(event, CENSUS_CHANGED)
                    await conn.execute(select(func.pg_notify(CHANGES_CHANNEL, payload)))
        return True


def _transferred(event: Event) -> TypeGuard[CedulaClaimResolved]:
    """An account given to whoever claimed its cédula: the former holder's sessions end."""
    return isinstance(event, CedulaClaimResolved) and event.data.outcome is ClaimOutcome.TRANSFERIDO


def _change_payload(event: ProjectedEvent, kind: str = "") -> str:
    data = event.data
    return json.dumps(
        {
            "type": kind or event.type,
            "event_id": str(event.event_id),
            "user_id": str(data.user_id),
            "cedula": getattr(data, "cedula", None),
            "previous_referrer_id": _text(getattr(data, "from_leader_id", None)),
        }
    )


def _text(value: object) -> str | None:
    return str(value) if value is not None else None
