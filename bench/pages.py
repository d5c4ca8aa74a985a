"""Pages at campaign size: with 100,000 users (a leader with 5,000 referidos among them), p95 of
the admin's search by a name or cédula fragment, the leader's Referidos page 50 (plain, filtered
by status, searched) and the first byte of the leader's 5,000-row CSV, through `censo web serve`
over HTTP. Baseline in the same run: the same requests without the search indexes (web migration
0006 undone), on the same data."""

from __future__ import annotations

import asyncio
import time
from contextlib import ExitStack
from dataclasses import dataclass

import httpx
from sqlalchemy import text

from bench.infra import Served, new_database, scratch_dir, serving_web
from bench.pages_population import Campaign, populate
from bench.report import BenchmarkResult, Figure, progress
from services.common.db import make_engine
from tests.support.infra import running_postgres

NAME = "pages"
TARGET_MS = 200.0
SEARCH_INDEXES = ("ix_users_nombre_folded_trgm", "ix_users_cedula_prefix")
BASELINE = "without the search indexes"
INDEXED = "with the search indexes"


@dataclass(frozen=True)
class Plan:
    users: int
    leader_referrals: int
    requests: int  # per page and variant, after one unmeasured warm-up


FULL = Plan(users=100_000, leader_referrals=5_000, requests=40)
SMOKE = Plan(users=5_000, leader_referrals=600, requests=5)


def _pages(campaign: Campaign) -> dict[str, tuple[str, str]]:
    """Name → (whose session, path)."""
    return {
        "admin: search by name fragment": ("admin", "/admin?busqueda=ramirez%20nun"),
        "admin: search by cédula fragment": ("admin", f"/admin?busqueda={campaign.a_cedula[:5]}"),
        "leader: Referidos page 50": ("leader", "/referidos?pagina=50"),
        "leader: Referidos ACTIVE, page 50": ("leader", "/referidos?estado=ACTIVE&pagina=50"),
        "leader: Referidos searched": ("leader", "/referidos?busqueda=sofia%20suarez"),
        "leader: CSV of every referido, first byte": ("leader", "/referidos.csv"),
    }


def run(smoke: bool) -> BenchmarkResult:
    plan = SMOKE if smoke else FULL
    with ExitStack() as stack:
        workdir = stack.enter_context(scratch_dir("censo-bench-pages-"))
        pg = stack.enter_context(running_postgres(workdir))
        url = new_database(pg, "web")
        started = time.monotonic()
        campaign = asyncio.run(populate(url, plan.users, plan.leader_referrals))
        progress(f"{campaign.users:,} users written in {time.monotonic() - started:.0f} s")
        measured: dict[str, dict[str, list[float]]] = {}
        definitions = asyncio.run(_drop_search_indexes(url))
        with serving_web(workdir, url) as web:
            measured[BASELINE] = _measure(web, campaign, plan.requests)
            asyncio.run(_create(url, definitions))
            measured[INDEXED] = _measure(web, campaign, plan.requests)
    return _figures(measured, campaign)


async def _drop_search_indexes(url: str) -> list[str]:
    engine = make_engine(url, pool_size=1)
    try:
        async with engine.begin() as conn:
            rows = await conn.execute(
                text("SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(:names)"),
                {"names": list(SEARCH_INDEXES)},
            )
            definitions = [definition for _, definition in rows]
            for name in SEARCH_INDEXES:
                await conn.execute(text(f'DROP INDEX "{name}"'))
            await conn.execute(text("ANALYZE users"))
    finally:
        await engine.dispose()
    return definitions


async def _create(url: str, definitions: list[str]) -> None:
    engine = make_engine(url, pool_size=1)
    try:
        async with engine.begin() as conn:
            for definition in definitions:
                await conn.execute(text(definition))
            await conn.execute(text("ANALYZE users"))
    finally:
        await engine.dispose()


def _measure(web: Served, campaign: Campaign, requests: int) -> dict[str, list[float]]:
    cookies = {"admin": campaign.admin_cookie, "leader": campaign.leader_cookie}
    times: dict[str, list[float]] = {}
    with httpx.Client(base_url=f"http://127.0.0.1:{web.port}", timeout=60) as client:
        for name, (who, path) in _pages(campaign).items():
            headers = {"cookie": cookies[who]}
            first_byte_s(client, path, headers)  # warm-up: plans cached, pages in memory
            times[name] = [first_byte_s(client, path, headers) for _ in range(requests)]
            progress(f"{name}: p95 {p95_ms(times[name]):.0f} ms")
    return times


def first_byte_s(client: httpx.Client, path: str, headers: dict[str, str]) -> float:
    """Seconds to the first byte of the body (the whole page for the HTML ones, which are not
    streamed); the rest is read so the connection is reused."""
    started = time.perf_counter()
    with client.stream("GET", path, headers=headers) as response:
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")
        chunks = response.iter_bytes()
        next(chunks, b"")
        elapsed = time.perf_counter() - started
        for _ in chunks:
            pass
    return elapsed


def p95_ms(samples: list[float]) -> float:
    ordered = sorted(samples)
    return 1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def _figures(measured: dict[str, dict[str, list[float]]], campaign: Campaign) -> BenchmarkResult:
    out = []
    for name, samples in measured[INDEXED].items():
        value, baseline = p95_ms(samples), p95_ms(measured[BASELINE][name])
        met = value < TARGET_MS
        out.append(Figure(NAME, name, "p95", value, "ms", baseline, f"< {TARGET_MS:g} ms", met))
    details = {
        "users": campaign.users,
        "big_leader_referrals": campaign.big_leader_referrals,
        "p50_ms": {
            variant: {name: 1000 * sorted(s)[len(s) // 2] for name, s in pages.items()}
            for variant, pages in measured.items()
        },
        "p95_ms": {
            variant: {name: p95_ms(s) for name, s in pages.items()}
            for variant, pages in measured.items()
        },
    }
    return BenchmarkResult(out, details)
