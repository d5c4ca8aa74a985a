"""The search's plans: a name fragment can read the trigram index of the stored folded name and a
cédula prefix the pattern index (EXPLAIN of the service's own statement, prepared and planned for
any value, on PostgreSQL with 30,000 users; sequential scans priced out so the plan shows whether
an index serves the query at all: whether the planner prefers it depends on the data, see
bench/README.md), and the indexed search finds what a scan of every row finds (accents, case,
prefixes)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.db import make_engine
from services.common.migrations import migrate
from services.web.adapters.tables import users
from services.web.bootstrap import MIGRATIONS
from services.web.queries.listing import UserFilter, user_page
from services.web.queries.search import fold, matches

USERS = 30_000
NAMES = ("José Pérez", "María Gómez", "Ana Núñez", "Luis Ramírez", "Sofía Martínez", "Iván Díaz")


@pytest.fixture(scope="module")
async def campaign(
    create_database: Callable[[str], str],
) -> AsyncIterator[tuple[AsyncEngine, list[dict[str, Any]]]]:
    engine = make_engine(create_database("web_search_plans"))
    await migrate(engine, MIGRATIONS)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        {
            "user_id": uuid.uuid4(),
            "cedula": str(10_000_000 + n * 37),
            "nombre": f"{NAMES[n % len(NAMES)]} {n}",
            "telefono": "3001234567",
            "referrer_id": None,
            "referral_code": f"S{n:07d}",
            "referral_goal": 10,
            "role": "USER",
            "registered_at": start + timedelta(seconds=n),
            "updated_at": start,
        }
        for n in range(USERS)
    ]
    async with engine.begin() as conn:
        await conn.execute(insert(users), rows)
        await conn.execute(text("ANALYZE users"))
    yield engine, rows
    await engine.dispose()


async def _plan(engine: AsyncEngine, q: str) -> str:
    """EXPLAIN of the search's condition as the service runs it: a prepared statement with its
    parameters, planned once for any value (the generic plan a statement cache ends up with)."""
    query = select(users.c.user_id).where(matches(q))
    compiled = query.compile(engine.sync_engine, compile_kwargs={"render_postcompile": True})
    values = ", ".join(_quoted(compiled.params[name]) for name in compiled.positiontup or ())
    async with engine.connect() as conn:
        await conn.execute(text("SET enable_seqscan = off"))
        await conn.execute(text("SET plan_cache_mode = force_generic_plan"))
        await conn.exec_driver_sql(f"PREPARE search AS {compiled}")
        try:
            execute = f"EXPLAIN EXECUTE search({values})" if values else "EXPLAIN EXECUTE search"
            return "\n".join((await conn.exec_driver_sql(execute)).scalars())
        finally:
            await conn.exec_driver_sql("DEALLOCATE search")


def _quoted(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


@pytest.mark.parametrize(
    ("q", "index"),
    [
        ("ramirez 12", "ix_users_nombre_folded_trgm"),
        ("NÚÑEZ 29", "ix_users_nombre_folded_trgm"),
        ("1000037", "ix_users_cedula_prefix"),
        ("10.000.3", "ix_users_cedula_prefix"),
    ],
)
async def test_a_search_reads_its_index_not_every_row(
    campaign: tuple[AsyncEngine, list[dict[str, Any]]], q: str, index: str
) -> None:
    plan = await _plan(campaign[0], q)
    assert index in plan, plan
    assert "Seq Scan on users" not in plan, plan


@pytest.mark.parametrize("q", ["jose perez 6", "IVÁN DÍAZ 2999", "maria", "1000003", "10.000.1"])
async def test_the_indexed_search_finds_what_a_scan_of_every_row_finds(
    campaign: tuple[AsyncEngine, list[dict[str, Any]]], q: str
) -> None:
    engine, rows = campaign
    term = fold(" ".join(q.split()))
    digits = term.replace(".", "").replace(" ", "")
    if digits.isdigit():
        expected = sum(row["cedula"].startswith(digits) for row in rows)
    else:
        expected = sum(term in fold(row["nombre"]) for row in rows)
    async with engine.connect() as conn:
        _, total = await user_page(conn, UserFilter(referrer_id=None, q=q), page_size=20)
    assert total == expected > 0
