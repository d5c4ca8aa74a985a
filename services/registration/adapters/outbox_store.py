"""The outbox table: events written in the business transaction, read and marked by the relay."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from schemas.envelope import Event, encode_event
from schemas.sealing import is_sealable, key_id_of, seal_event
from services.registration.adapters.orm import outbox
from services.registration.adapters.person_keys_store import PersonKeyStore

NOTIFY_CHANNEL = "registration_outbox"


class OutboxWriter:
    """Appends events to the caller's transaction; NOTIFY is delivered only if it commits. An
    event with personal fields is sealed here with its person's key (`schemas/sealing.py`), so
    neither this table nor Kafka ever holds them in clear."""

    def __init__(self, session: AsyncSession, keys: PersonKeyStore) -> None:
        self.session = session
        self.keys = keys
        self.pending = False

    async def add(self, *events: Event, headers: Mapping[str, str] | None = None) -> None:
        if not events:
            return
        rows = [await self._row(event, headers or {}) for event in events]
        await self.session.execute(insert(outbox), rows)
        self.pending = True

    async def _row(self, event: Event, extra_headers: Mapping[str, str]) -> dict[str, object]:
        if is_sealable(event):
            record = seal_event(event, await self.keys.for_sealing(key_id_of(event)))
        else:
            record = encode_event(event)
        return _row(event, record, extra_headers)

    async def notify_if_pending(self) -> None:
        if self.pending:
            await self.session.execute(
                text("SELECT pg_notify(:channel, '')"), {"channel": NOTIFY_CHANNEL}
            )


def _row(
    event: Event, record: tuple[bytes, bytes, dict[str, str]], extra_headers: Mapping[str, str]
) -> dict[str, object]:
    key, value, own_headers = record
    headers = own_headers | dict(extra_headers)
    return {
        "event_id": event.event_id,
        "event_type": event.type,
        "topic": event.destination,
        "key": key,
        "value": value,
        "headers": headers,
    }


@dataclass(frozen=True)
class OutboxRecord:
    id: int
    topic: str
    key: bytes
    value: bytes
    headers: dict[str, str]


@dataclass(frozen=True)
class Backlog:
    unsent: int
    oldest_unsent_age_s: float | None


async def claim_unsent(conn: AsyncConnection, limit: int) -> list[OutboxRecord]:
    """Unsent rows in id order, locked until the caller's transaction ends.

    Selecting by `sent_at IS NULL` (never "after the last id sent") is what catches a row whose id
    was taken by a transaction that committed after a later one. Rows another transaction holds
    are waited for, never skipped: a relay that lost its lease mid-batch still holds its rows,
    and the relay that took over must not publish the rows after them first (per-key order).
    """
    query = (
        select(outbox.c.id, outbox.c.topic, outbox.c.key, outbox.c.value, outbox.c.headers)
        .where(outbox.c.sent_at.is_(None))
        .order_by(outbox.c.id)
        .limit(limit)
        .with_for_update()
    )
    return [OutboxRecord(*row) for row in await conn.execute(query)]


async def still_leading(conn: AsyncConnection, lock_id: int, lease_pid: int) -> bool:
    """The fence: the lease's session (backend `lease_pid`) still holds the publishing lock."""
    query = text(
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
        " AND pid = :pid AND objsubid = 1"
        " AND ((classid::bigint << 32) | objid::bigint) = :lock)"
    )
    return bool(await conn.scalar(query, {"pid": lease_pid, "lock": lock_id}))


async def mark_sent(conn: AsyncConnection, ids: list[int]) -> None:
    if ids:
        await conn.execute(update(outbox).where(outbox.c.id.in_(ids)).values(sent_at=func.now()))


async def backlog(conn: AsyncConnection) -> Backlog:
    query = select(func.count(), func.extract("epoch", func.now() - func.min(outbox.c.created_at)))
    count, age = (await conn.execute(query.where(outbox.c.sent_at.is_(None)))).one()
    return Backlog(count, float(age) if age is not None else None)


async def delete_sent_before(conn: AsyncConnection, cutoff: datetime) -> int:
    result = await conn.execute(delete(outbox).where(outbox.c.sent_at < cutoff))
    return result.rowcount
