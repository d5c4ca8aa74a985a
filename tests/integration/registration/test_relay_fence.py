"""The relay loses its publishing lock in the middle of a batch (its lease connection dies) while
a standby takes over: the standby waits for the rows the first relay still holds instead of
publishing the rows after them, so every key's events still come out in order."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

from sqlalchemy import text

from services.common.db import make_engine
from services.registration.adapters.outbox_store import OutboxRecord
from services.registration.outbox.lease import RELAY_LOCK_ID
from services.registration.outbox.publisher import SendResult
from services.registration.outbox.relay import OutboxRelay
from tests.integration.registration.conftest import make_settings

ROWS = 10


class Acknowledged:
    """Kafka as the test sees it: rows in the order their sends were acknowledged."""

    def __init__(self) -> None:
        self.order: list[tuple[str, int]] = []


class GatedPublisher:
    """A producer whose acknowledgement waits for the test: the batch is in flight meanwhile."""

    def __init__(self, name: str, log: Acknowledged, gate: asyncio.Event | None = None) -> None:
        self.name, self._log, self._gate = name, log, gate
        self.sending = asyncio.Event()

    async def publish(self, records: list[OutboxRecord]) -> SendResult:
        self.sending.set()
        if self._gate is not None:
            await self._gate.wait()
        self._log.order += [(self.name, json.loads(r.value)["n"]) for r in records]
        return [r.id for r in records], None

    async def close(self) -> None:
        return None


async def lock_holder(engine) -> int | None:  # type: ignore[no-untyped-def]
    query = text(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1"
        " AND ((classid::bigint << 32) | objid::bigint) = :lock"
    )
    async with engine.connect() as conn:
        return await conn.scalar(query, {"lock": RELAY_LOCK_ID})


async def until(check: Callable[[], object], timeout_s: float = 20.0) -> None:
    async with asyncio.timeout(timeout_s):
        while not await check():  # type: ignore[misc]
            await asyncio.sleep(0.05)


async def test_a_relay_that_lost_its_lease_mid_batch_keeps_the_order_of_every_key(
    fresh_db: str,
) -> None:
    settings = make_settings(fresh_db, outbox_batch_size=5, outbox_standby_poll_s=0.1)
    engine = make_engine(fresh_db, pool_size=4)
    async with engine.begin() as conn:
        for n in range(1, ROWS + 1):
            await conn.execute(
                text(
                    "INSERT INTO outbox (event_id, event_type, topic, key, value, headers)"
                    " VALUES (gen_random_uuid(), 'UserProfileUpdated', 'accounts.events', 'u1',"
                    " CAST(:value AS bytea), '{}')"
                ),
                {"value": json.dumps({"n": n}).encode()},
            )
    acked, gate = Acknowledged(), asyncio.Event()
    first_publisher = GatedPublisher("first", acked, gate)
    first = OutboxRelay(settings, engine, first_publisher)  # type: ignore[arg-type]
    stop = asyncio.Event()
    first_run = asyncio.create_task(first.run(stop))
    second_run: asyncio.Task[None] | None = None
    try:
        await asyncio.wait_for(first_publisher.sending.wait(), 20)  # rows 1-5 in flight
        first_lease = await lock_holder(engine)
        async with engine.begin() as conn:  # the lease's connection dies
            await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first_lease})
        second = OutboxRelay(settings, engine, GatedPublisher("second", acked))  # type: ignore[arg-type]
        second_run = asyncio.create_task(second.run(stop))
        await until(lambda: _held_by_other(engine, first_lease))
        await asyncio.sleep(0.5)  # the standby leads now: it must be waiting, not publishing
        assert acked.order == []
        gate.set()  # the first relay's batch is acknowledged at last
        await until(lambda: _all_acknowledged(acked))
    finally:
        stop.set()
        gate.set()
        await asyncio.wait_for(asyncio.gather(first_run, *filter(None, [second_run])), 30)
        await engine.dispose()
    assert [n for _, n in acked.order] == list(range(1, ROWS + 1))
    assert {name for name, n in acked.order if n <= 5} == {"first"}


async def _held_by_other(engine, previous: int | None) -> bool:  # type: ignore[no-untyped-def]
    holder = await lock_holder(engine)
    return holder is not None and holder != previous


async def _all_acknowledged(acked: Acknowledged) -> bool:
    return len(acked.order) >= ROWS
