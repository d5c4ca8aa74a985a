"""`censo ops purge --before DATE`: after the election, remove from the web read model what the
data policy keeps only until then (the Registraduría's raw responses), and set the purge mark so
neither the projector nor any rebuild brings them back from Kafka. Dry run unless `apply`.

Kafka keeps its records (census.results is kept forever, as the rebuilds' source): a raw
response there stays inside its ValidationFailed, sealed with its person's key since sealing
exists (readable in clear before that; docs/operations.md says what that means).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from services.web.adapters.tables import census_status, purge_marks
from services.web.projection.purge_mark import RAW_RESPONSES, purged_before


@dataclass(frozen=True)
class PurgeReport:
    raw_responses: int
    mark_before: datetime | None  # the mark in force afterwards (or now, for a dry run)


def _old_raw(before: datetime) -> ColumnElement[bool]:
    return and_(census_status.c.raw_response.is_not(None), census_status.c.updated_at < before)


async def purge(engine: AsyncEngine, before: datetime, operator: str, apply: bool) -> PurgeReport:
    async with engine.begin() as conn:
        if not apply:
            count = await conn.scalar(select(func.count()).where(_old_raw(before)))
            return PurgeReport(int(count or 0), await purged_before(conn))
        done = await conn.execute(
            update(census_status).where(_old_raw(before)).values(raw_response=None)
        )
        now = func.now()
        mark = insert(purge_marks).values(
            mark_key=RAW_RESPONSES, purged_before=before, purged_at=now, operator=operator
        )
        await conn.execute(
            mark.on_conflict_do_update(
                index_elements=[purge_marks.c.mark_key],
                # A later purge never moves the mark back.
                set_={
                    "purged_before": func.greatest(purge_marks.c.purged_before, before),
                    "purged_at": now,
                    "operator": operator,
                },
            )
        )
        return PurgeReport(done.rowcount, await purged_before(conn))
