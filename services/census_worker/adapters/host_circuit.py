"""Each census host's circuit breaker in the worker database, shared by every worker process.

An answer no reader recognised adds one to the host's `unclassified_in_a_row`, any other answer
resets it; at the threshold the circuit opens (`circuit_open_since`, why, the reply that opened
it) and booking skips the host until an operator's resume closes it and NOTIFYs the waiters.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from schemas.events import MAX_FAILURE_REASON_CHARS
from services.census_worker.adapters.tables import CHANNEL
from services.census_worker.domain.model import LookupResult, clip_raw
from services.census_worker.domain.turns import Resumed

_OPENS = "(previous.open_since IS NULL AND h.unclassified_in_a_row + 1 >= :threshold)"
_UNCLASSIFIED = text(f"""
WITH previous AS (
    SELECT host, circuit_open_since AS open_since FROM census_hosts WHERE host = :host FOR UPDATE
)
UPDATE census_hosts AS h SET
    unclassified_in_a_row = h.unclassified_in_a_row + 1,
    circuit_open_since = CASE WHEN {_OPENS} THEN clock_timestamp() ELSE h.circuit_open_since END,
    circuit_reason = CASE WHEN {_OPENS} THEN :reason ELSE h.circuit_reason END,
    last_raw_answer = CASE WHEN previous.open_since IS NULL THEN :raw ELSE h.last_raw_answer END,
    updated_at = clock_timestamp()
FROM previous WHERE h.host = previous.host
RETURNING {_OPENS.replace("h.unclassified_in_a_row + 1", "h.unclassified_in_a_row")} AS opened
""")
_CLASSIFIED = text("""
UPDATE census_hosts SET unclassified_in_a_row = 0
WHERE host = :host AND unclassified_in_a_row > 0
""")
# A command sent before the circuit (re)opened must not close the newer opening.
_RESUME = text("""
WITH previous AS (
    SELECT host, circuit_open_since AS open_since FROM census_hosts WHERE host = :host FOR UPDATE
), resumed AS (
    UPDATE census_hosts AS h SET circuit_open_since = NULL, circuit_reason = NULL,
        last_raw_answer = NULL, unclassified_in_a_row = 0, updated_at = clock_timestamp()
    FROM previous
    WHERE h.host = previous.host AND previous.open_since <= :requested_at
    RETURNING h.host
)
SELECT previous.open_since, EXISTS (SELECT FROM resumed) AS resumed FROM previous
""")
_NOTIFY = text(f"SELECT pg_notify('{CHANNEL}', :host)")
_OPEN_HOSTS = text("SELECT host FROM census_hosts WHERE circuit_open_since IS NOT NULL")


async def count_answer(
    conn: AsyncConnection, host: str, result: LookupResult, threshold: int
) -> bool:
    """Count a used turn's answer toward the host's circuit; True when this answer opened it."""
    if not result.unclassified:
        await conn.execute(_CLASSIFIED, {"host": host})
        return False
    reason = f"{threshold} unclassifiable answers in a row; the last: {result.reason or '?'}"
    params = {
        "host": host,
        "threshold": threshold,
        "reason": reason[:MAX_FAILURE_REASON_CHARS],
        "raw": clip_raw(result.raw_response),
    }
    return bool((await conn.execute(_UNCLASSIFIED, params)).scalar_one_or_none())


class HostCircuits:
    """The circuits as operators act on them: resume one, list the open ones."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def resume(self, host: str, requested_at: datetime) -> Resumed:
        params = {"host": host, "requested_at": requested_at}
        async with self.engine.begin() as conn:
            row = (await conn.execute(_RESUME, params)).first()
            if row is not None and row.resumed:  # waiting workers wake at the commit
                await conn.execute(_NOTIFY, params)
        if row is None:
            return Resumed.UNKNOWN_HOST
        if row.resumed:
            return Resumed.CLOSED
        return Resumed.NOT_OPEN if row.open_since is None else Resumed.STALE

    async def open_hosts(self) -> set[str]:
        async with self.engine.connect() as conn:
            return set((await conn.execute(_OPEN_HOSTS)).scalars())
