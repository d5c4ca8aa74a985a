"""Each census host's politeness budget in PostgreSQL, shared by every worker process anywhere.

One row per host (`census_hosts`). A turn is booked by one conditional UPDATE (only one booking per
host is outstanding: the `holder` column), released when the lookup's first request is sent
(the next turn is measured from that send), and taken over once its lease has run out. Every wait
is computed by the statement that reads it, against the database's clock: the only clock all
machines share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from schemas.census import CensusStatus
from services.census_worker.adapters.host_circuit import count_answer
from services.census_worker.adapters.tables import CHANNEL
from services.census_worker.domain.model import LookupResult
from services.census_worker.domain.turns import Booking, HostAnswered, HostView, Lane

__all__ = ["CHANNEL", "BudgetRules", "HostBudget"]
PRUNE_EVERY = 200  # releases between two deletions of turns older than a day

_SECS = "make_interval(secs => CAST({} AS double precision))"
_START = "greatest(h.next_turn_at, coalesce(h.cooldown_until, '-infinity'), clock_timestamp())"
# A takeover starts no earlier than the dead holder's lease end plus the interval: it may have
# sent its first request right up to the end of its lease.
_NEXT = (
    "CASE WHEN h.holder IS NULL THEN h.next_turn_at "
    f"ELSE greatest(h.next_turn_at, h.lease_until + {_SECS.format(':interval')}) END"
)
_BOOK = text(f"""
WITH previous AS (SELECT host, holder FROM census_hosts WHERE host = :host FOR UPDATE)
UPDATE census_hosts AS h SET
    holder = :me,
    next_turn_at = {_NEXT},
    lease_until = greatest({_NEXT}, coalesce(h.cooldown_until, '-infinity'), clock_timestamp())
                  + {_SECS.format(":lease")},
    updated_at = clock_timestamp()
FROM previous
WHERE h.host = previous.host AND h.circuit_open_since IS NULL
  AND (h.holder IS NULL OR h.lease_until < clock_timestamp())
RETURNING extract(epoch FROM {_START} - clock_timestamp())::float8 AS start_in_s,
          extract(epoch FROM h.lease_until - clock_timestamp())::float8 AS lease_left_s,
          previous.holder IS NOT NULL AS took_over
""")
_CONFIRM = text(f"""
SELECT extract(epoch FROM {_START} - clock_timestamp())::float8 AS start_in_s,
       extract(epoch FROM h.lease_until - clock_timestamp())::float8 AS lease_left_s
FROM census_hosts AS h WHERE h.host = :host AND h.holder = :me
""")
_VIEW = text(f"""
SELECT h.host, extract(epoch FROM {_START} - clock_timestamp())::float8 AS start_in_s,
       coalesce(h.holder IS NOT NULL AND h.lease_until >= clock_timestamp(), false) AS held,
       coalesce(extract(epoch FROM h.lease_until - clock_timestamp())::float8, 0) AS free_in_s,
       h.circuit_open_since IS NOT NULL AS circuit_open
FROM census_hosts AS h WHERE h.host = ANY(:hosts)
""")
_ENSURE = text("""
INSERT INTO census_hosts (host, next_turn_at, updated_at)
SELECT unnest(CAST(:hosts AS text[])), clock_timestamp(), clock_timestamp()
ON CONFLICT (host) DO NOTHING
""")
_USED = text(f"""
UPDATE census_hosts SET holder = NULL, lease_until = NULL, updated_at = clock_timestamp(),
    next_turn_at = clock_timestamp() + {_SECS.format(":gap")}
WHERE host = :host AND holder = :me RETURNING host
""")
_UNUSED = text("""
UPDATE census_hosts SET holder = NULL, lease_until = NULL, updated_at = clock_timestamp()
WHERE host = :host AND holder = :me RETURNING host
""")
_RECORD = text("""
INSERT INTO host_turns (host, started_at, worker, lane)
VALUES (:host, clock_timestamp(), :me, :lane)
""")
_NOTIFY = text(f"SELECT pg_notify('{CHANNEL}', :host)")
_PRUNE = text("DELETE FROM host_turns WHERE started_at < clock_timestamp() - interval '1 day'")
_BLOCKED = text(f"""
UPDATE census_hosts SET updated_at = clock_timestamp(), blocked_in_a_row = blocked_in_a_row + 1,
    cooldown_until = clock_timestamp()
        + {_SECS.format("least(:base * power(2, blocked_in_a_row), :max)")}
WHERE host = :host
RETURNING least(:base * power(2, blocked_in_a_row - 1), :max)::float8 AS cooldown_s
""")
_ANSWERED = text("UPDATE census_hosts SET blocked_in_a_row = 0 WHERE host = :host")


@dataclass(frozen=True)
class BudgetRules:
    """The numbers every worker must share: interval, guard, lease, BLOCKED cooldown."""

    interval_s: float
    guard_s: float = 0.02
    lease_s: float = 15.0
    cooldown_base_s: float = 30.0
    cooldown_max_s: float = 900.0
    circuit_threshold: int = 5  # unclassifiable answers in a row that open a host's circuit


class HostBudget:
    """The `TurnStore` of the scheduler on PostgreSQL; `worker` names this process's bookings."""

    def __init__(self, engine: AsyncEngine, worker: str, rules: BudgetRules) -> None:
        self.engine, self.worker, self.rules = engine, worker, rules
        self._releases = 0

    async def ensure_hosts(self, hosts: Sequence[str]) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(_ENSURE, {"hosts": list(hosts)})

    async def view(self, hosts: Sequence[str]) -> list[HostView]:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(_VIEW, {"hosts": list(hosts)})).mappings().all()
        return [HostView(**row) for row in rows]

    async def book(self, host: str) -> Booking | None:
        params = {"host": host, "me": self.worker}
        timing = {"interval": self.rules.interval_s, "lease": self.rules.lease_s}
        async with self.engine.begin() as conn:
            row = (await conn.execute(_BOOK, params | timing)).mappings().first()
        return Booking(host, **row) if row else None

    async def confirm(self, host: str) -> Booking | None:
        """The booked turn as the row says now (a cooldown may have moved it); None: lost."""
        async with self.engine.connect() as conn:
            params = {"host": host, "me": self.worker}
            row = (await conn.execute(_CONFIRM, params)).mappings().first()
        return Booking(host, **row) if row else None

    async def release(self, host: str, lane: Lane, used: bool) -> bool:
        """Give the turn back; a used one moves the host's next turn. False: it was not ours."""
        params: dict[str, object] = {"host": host, "me": self.worker, "lane": lane.name}
        async with self.engine.begin() as conn:
            if used:
                params["gap"] = self.rules.interval_s + self.rules.guard_s
                ours = (await conn.execute(_USED, params)).first() is not None
                await conn.execute(_RECORD, params)
                await self._prune(conn)
            else:
                ours = (await conn.execute(_UNUSED, params)).first() is not None
            await conn.execute(_NOTIFY, params)
        return ours

    async def answered(self, host: str, result: LookupResult) -> HostAnswered:
        """Record a lookup's answer: the cooldown a BLOCKED one starts, the circuit it opens."""
        rules, status = self.rules, result.status
        cooldown_s: float | None = None
        async with self.engine.begin() as conn:
            opened = await count_answer(conn, host, result, rules.circuit_threshold)
            if status is CensusStatus.BLOCKED:
                params = {"host": host, "base": rules.cooldown_base_s, "max": rules.cooldown_max_s}
                cooldown_s = float((await conn.execute(_BLOCKED, params)).scalar_one())
            elif status.is_final:  # a timeout or an error neither cools down nor resets the count
                await conn.execute(_ANSWERED, {"host": host})
        return HostAnswered(cooldown_s, opened)

    async def _prune(self, conn: AsyncConnection) -> None:
        self._releases += 1
        if self._releases % PRUNE_EVERY == 1:
            await conn.execute(_PRUNE)
