"""Runs the writes of many events in a few set-based statements, with the result of running
them one at a time.

Each write gets a level: one more than the level of the last earlier write sharing a row key
with it. Writes of one level touch distinct rows, so they can run together, grouped by kind into
one statement each; levels run in order, so every row sees its writes in event order.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy.ext.asyncio import AsyncConnection

from services.web.projection.overwritten import without_overwritten
from services.web.projection.writes import Op, Write, statement


def levels(keys_per_op: Iterable[Iterable[Hashable]]) -> list[int]:
    """Level of each op (from 1): after every earlier op that shares one of its keys."""
    last: dict[Hashable, int] = {}
    result = []
    for keys in keys_per_op:
        level = 1
        for key in keys:
            level = max(level, last.get(key, 0) + 1)
        for key in keys:
            last[key] = level
        result.append(level)
    return result


def plan(ops: Sequence[Op]) -> list[tuple[Write, list[Op]]]:
    """The statements to run, in order: per level, one per kind of write, ops in event order."""
    groups: dict[tuple[int, Write], list[Op]] = defaultdict(list)
    for op, level in zip(ops, levels(op.keys for op in ops), strict=True):
        groups[(level, op.write)].append(op)
    ordered = sorted(groups.items(), key=lambda item: item[0][0])  # stable: kinds by first use
    return [(write, group) for (_, write), group in ordered]


async def apply(conn: AsyncConnection, ops: Sequence[Op]) -> None:
    """Run `ops` in the connection's transaction."""
    for write, group in plan(without_overwritten(ops)):
        await conn.execute(*statement(write, [op.row for op in group]))


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off during the block. Events, records and rows are acyclic and
    freed by reference counting; with the collector on, the tens of thousands of them a batch
    allocates make it rescan every live object over and over (a rebuild's replay spent about a
    third of its CPU in it)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
