"""Once a minute, the consumer groups' lag and the census lookups waiting in each lane, kept a day
in `flow_samples` for Operación's chart of the last hours. Runs beside the projector; with
several web processes each writes the same minute's row, the last one wins."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from datetime import datetime, timedelta

import structlog
from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from services.kafka_admin.census_capacity import lane_backlogs
from services.web.adapters.chart_tables import flow_samples
from services.web.adapters.event_flow import EventFlow, FlowOverview, KafkaUnreachable
from services.web.clock import utc_now

KEPT = timedelta(days=1)
log = structlog.get_logger(__name__)


def series(overview: FlowOverview, worker_group: str) -> dict[str, int]:
    """lag:<group> (over all its topics) and waiting:<lane>, lanes whose lag is known."""
    lags: Counter[str] = Counter()
    for group in overview.groups:
        lags[f"lag:{group.group}"] += group.lag
    waiting = {
        f"waiting:{backlog.lane.name}": backlog.waiting
        for backlog in lane_backlogs(worker_group, overview.groups)
        if backlog.waiting is not None
    }
    return {**lags, **waiting}


class FlowSampler:
    def __init__(
        self, engine: AsyncEngine, event_flow: EventFlow, worker_group: str, every_s: float = 60
    ) -> None:
        self._engine = engine
        self._event_flow = event_flow
        self._worker_group = worker_group
        self._every_s = every_s

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.sample(utc_now())
            except KafkaUnreachable as exc:
                log.warning("web.flow_sampler.kafka_unreachable", error=str(exc))
            except Exception:  # a sample missed is a gap in a chart, never a stopped process
                log.exception("web.flow_sampler.failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._every_s)

    async def sample(self, now: datetime) -> None:
        values = series(await self._event_flow.overview(), self._worker_group)
        minute = now.replace(second=0, microsecond=0)
        async with self._engine.begin() as conn:
            if values:
                stmt = insert(flow_samples)
                upsert = stmt.on_conflict_do_update(
                    index_elements=["minute", "series"], set_={"value": stmt.excluded.value}
                )
                rows = [{"minute": minute, "series": s, "value": v} for s, v in values.items()]
                await conn.execute(upsert, rows)
            await conn.execute(delete(flow_samples).where(flow_samples.c.minute < now - KEPT))
