"""The projector's read position, stored with the rows in one transaction.

`claim` locks the positions of a batch's partitions, says which records are new (above the stored
offset, and above every earlier record of the batch) and moves the positions to the last of them:
a redelivered or replayed record is skipped, so applying an event twice is impossible. The row
locks make a second projector that got the same records (a rebalance) wait for this transaction
and then see its positions.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiokafka.structs import ConsumerRecord
from sqlalchemy import bindparam, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from services.web.adapters.tables import projection_positions as positions

Partition = tuple[str, int]
NOTHING_APPLIED = -1  # offsets start at 0


async def claim(conn: AsyncConnection, records: Sequence[ConsumerRecord]) -> list[bool]:
    """For each record, whether it is new; the positions move past the new ones."""
    partitions = sorted({(r.topic, r.partition) for r in records})  # one lock order for all
    stored = await _locked(conn, partitions)
    if missing := [p for p in partitions if p not in stored]:
        await _create(conn, missing)
        stored = await _locked(conn, partitions)
    last = dict(stored)
    new = []
    for record in records:
        partition = (record.topic, record.partition)
        new.append(record.offset > last[partition])
        last[partition] = max(last[partition], record.offset)
    moved = [
        {"b_topic": t, "b_partition": p, "b_offset": last[(t, p)]}
        for t, p in partitions
        if last[(t, p)] != stored[(t, p)]
    ]
    if moved:
        await conn.execute(_MOVE, moved)
    return new


_MOVE = (
    update(positions)
    .where(
        positions.c.topic == bindparam("b_topic"),
        positions.c.partition == bindparam("b_partition"),
    )
    .values(offset=bindparam("b_offset"))
)


async def _locked(conn: AsyncConnection, partitions: list[Partition]) -> dict[Partition, int]:
    rows = await conn.execute(
        select(positions.c.topic, positions.c.partition, positions.c.offset)
        .where(tuple_(positions.c.topic, positions.c.partition).in_(partitions))
        .order_by(positions.c.topic, positions.c.partition)
        .with_for_update()
    )
    return {(row.topic, row.partition): row.offset for row in rows}


async def _create(conn: AsyncConnection, partitions: list[Partition]) -> None:
    """Rows for partitions never applied; a concurrent creator makes this wait, then skip."""
    await conn.execute(
        insert(positions).on_conflict_do_nothing(),
        [{"topic": t, "partition": p, "offset": NOTHING_APPLIED} for t, p in partitions],
    )
