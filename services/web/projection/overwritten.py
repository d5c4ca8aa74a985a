"""Writes of a batch that the next write of the same row overwrites whole, left out before the
batch reaches PostgreSQL: the row ends as if both had run, with one row version instead of two.

Only census_status's steps of one request qualify (a rebuild's batches hold thousands: a
"started" and its answer, a failure and the retry's answer). A later step of the same request
writes every column the earlier one wrote (the same set: status, the lookup's state, request,
attempt, source, time), and its guard holds on the row the earlier one leaves (row.request_id is
the request; a "started" also needs the row waiting, which holds after a request or a "started",
not after an answer or failure). If the earlier one changes nothing, the later one sees the row
the earlier one saw. So dropping the earlier one leaves the same row either way, given the same
user (the one column an upsert never updates).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from services.web.projection.row_writes import ANSWERED, FAILED, NEW_STATUS, REQUESTED, STARTED
from services.web.projection.writes import Op, RowKey, Write

_WAITING = frozenset({NEW_STATUS, REQUESTED, STARTED})  # leave the row PENDING or PROCESSING
_OVERWRITES: dict[Write, frozenset[Write]] = {
    STARTED: _WAITING,
    ANSWERED: _WAITING | {ANSWERED, FAILED},
    FAILED: _WAITING | {ANSWERED, FAILED},
}


def without_overwritten(ops: Sequence[Op]) -> list[Op]:
    """`ops` without the ones the next op on the same row overwrites whole (after leaving out
    one, the op before it on the row is the next one's earlier op)."""
    kept: list[Op | None] = []
    on_row: dict[RowKey, list[int]] = defaultdict(list)  # where in `kept` each row's ops are
    for op in ops:
        overwritten = _OVERWRITES.get(op.write)  # most ops are no status step: one lookup
        if overwritten is not None:
            earlier = on_row[op.keys[0]]  # a status step has one key, its cédula
            while earlier and _overwrites(op, kept[earlier[-1]], overwritten):
                kept[earlier.pop()] = None
        for key in op.keys:
            on_row[key].append(len(kept))
        kept.append(op)
    return [op for op in kept if op is not None]


def _overwrites(later: Op, earlier: Op | None, overwritten: frozenset[Write]) -> bool:
    if earlier is None or earlier.write not in overwritten:
        return False
    same_request: bool = later.row["request_id"] == earlier.row["request_id"]
    return same_request and later.row["user_id"] == earlier.row["user_id"]
