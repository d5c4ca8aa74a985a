"""The pages benchmark's campaign (pages_population.py) made ready for the election-day views:
sign-ups spread over the last two months, «Dónde votan» and the charts counted by the
projector's own recount steps over every cédula, a census change for one person in fifty, and
three hours of lookups per minute and of lag samples for Operación."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncConnection

from bench.pages_population import Campaign, populate
from services.common.db import make_engine
from services.web.adapters.census_change_tables import census_changes
from services.web.adapters.chart_tables import flow_samples, lookup_minutes
from services.web.projection import charts, voting_places

CHUNK = 5_000
SPREAD = 50  # seconds between sign-ups: 100,000 over about 58 days
CHANGED_ONE_IN = 50
HOSTS = ("wsp", "consultacenso")
LOOKUP_STATUSES = (("ACTIVE", 9), ("NOT_FOUND", 1), ("TIMEOUT", 1), ("BLOCKED", 0))


async def populate_election_day(url: str, users: int, leader_referrals: int) -> Campaign:
    campaign = await populate(url, users, leader_referrals)
    engine = make_engine(url, pool_size=1)
    now = datetime.now(UTC)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "UPDATE users SET registered_at = CAST(:now AS timestamptz) - "
                    "((SELECT max(registered_at) FROM users) - registered_at)"
                    " * CAST(:spread AS int)"
                ),
                {"now": now, "spread": SPREAD},
            )
            await conn.execute(
                text(
                    "UPDATE census_status SET direccion = 'CL ' || (length(puesto) * 7) || "
                    "' No. ' || right(puesto, 2) || '-10' WHERE puesto IS NOT NULL"
                )
            )
            cedulas = list(await conn.scalars(text("SELECT cedula FROM users ORDER BY cedula")))
        for i in range(0, len(cedulas), CHUNK):
            async with engine.begin() as conn:
                chunk = set(cedulas[i : i + CHUNK])
                await voting_places.recount(conn, chunk)
                await charts.recount(conn, chunk)
        async with engine.begin() as conn:
            await _census_changes(conn, now)
            await conn.execute(insert(lookup_minutes), _lookups(now))
            await conn.execute(insert(flow_samples), _samples(now))
        async with engine.begin() as conn:
            for table in ("voting_place_counts", "voting_place_members", "census_changes"):
                await conn.execute(text(f"ANALYZE {table}"))
    finally:
        await engine.dispose()
    return campaign


async def _census_changes(conn: AsyncConnection, now: datetime) -> None:
    """One active person in fifty moved to another mesa of their puesto in the last days."""
    rows = await conn.execute(
        text(
            "SELECT cedula, departamento, municipio, puesto, mesa FROM census_status "
            "WHERE status = 'ACTIVE' ORDER BY cedula"
        )
    )
    changes = [
        _moved(row, now - timedelta(minutes=n))
        for n, row in enumerate(rows)
        if n % CHANGED_ONE_IN == 0
    ]
    for i in range(0, len(changes), CHUNK):
        await conn.execute(insert(census_changes), changes[i : i + CHUNK])


def _moved(row: Any, at: datetime) -> dict[str, Any]:
    before = {
        "status": "ACTIVE",
        **{k: getattr(row, k) for k in ("departamento", "municipio", "puesto")},
    }
    after = dict(before, mesa=row.mesa)
    before["mesa"] = str(int(row.mesa) % 30 + 1)
    return {
        "event_id": uuid4(),
        "cedula": row.cedula,
        "changed_at": at,
        **{f"before_{k}": v for k, v in before.items()},
        **{f"after_{k}": v for k, v in after.items()},
    }


def _lookups(now: datetime) -> list[dict[str, Any]]:
    rng = random.Random(7)
    last = now.replace(second=0, microsecond=0)
    return [
        {"minute": last - timedelta(minutes=m), "host": host, "status": status, "lookups": n}
        for m in range(180)
        for host in HOSTS
        for status, weight in LOOKUP_STATUSES
        if (n := rng.randint(0, weight + 1) if weight else 0)
    ]


def _samples(now: datetime) -> list[dict[str, Any]]:
    last = now.replace(second=0, microsecond=0)
    series = ("lag:census-worker", "lag:web-projector", "waiting:interactive", "waiting:bulk")
    return [
        {"minute": last - timedelta(minutes=m), "series": name, "value": _sawtooth(m, k)}
        for m in range(180)
        for k, name in enumerate(series)
    ]


def _sawtooth(minute: int, series: int) -> int:
    """A backlog that builds up and drains, each series at its own pace and phase."""
    return (minute * (series + 3) + 97 * series) % 400
