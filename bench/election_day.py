"""Election-day views at campaign size: with 100,000 referidos voting at 1,000 puestos, p95 of the
leader's and the admin's Inicio with its charts, «Dónde votan» at each drill level, «Novedades»,
Admin with the campaign's charts, and Operación's charts, through `censo web serve` over HTTP.
No baseline: the target is absolute (issue 17: p95 < 300 ms)."""

from __future__ import annotations

import asyncio
import time
from contextlib import ExitStack

import httpx

from bench.election_day_population import populate_election_day
from bench.infra import Served, new_database, scratch_dir, serving_web
from bench.pages import FULL, SMOKE, first_byte_s, p95_ms
from bench.pages_population import Campaign
from bench.report import BenchmarkResult, Figure, progress
from tests.support.infra import running_postgres

NAME = "election_day"
TARGET_MS = 300.0
PLACE = {"departamento": "SUCRE", "municipio": "MUNICIPIO 3", "puesto": "PUESTO 3"}


def _pages() -> dict[str, tuple[str, str]]:
    """Name → (whose session, path): each drill level adds one part of PLACE."""
    pages = {"leader: Inicio with charts": ("leader", "/inicio")}
    for who in ("leader", "admin"):
        for depth, level in enumerate(("departamentos", "municipios", "puestos", "mesas")):
            query = "&".join(f"{k}={v}" for k, v in list(PLACE.items())[:depth])
            pages[f"{who}: Dónde votan, {level}"] = (who, f"/puestos?{query}".replace(" ", "%20"))
        pages[f"{who}: Novedades"] = (who, "/novedades")
    pages["admin: Admin with the campaign's charts"] = ("admin", "/admin")
    pages["admin: Operación's charts"] = ("admin", "/admin/operacion/graficos")
    return pages


def run(smoke: bool) -> BenchmarkResult:
    plan = SMOKE if smoke else FULL
    with ExitStack() as stack:
        workdir = stack.enter_context(scratch_dir("censo-bench-election-day-"))
        pg = stack.enter_context(running_postgres(workdir))
        url = new_database(pg, "web")
        started = time.monotonic()
        campaign = asyncio.run(populate_election_day(url, plan.users, plan.leader_referrals))
        progress(f"{campaign.users:,} users counted in {time.monotonic() - started:.0f} s")
        with serving_web(workdir, url) as web:
            measured = _measure(web, campaign, plan.requests)
    return _figures(measured, campaign)


def _measure(web: Served, campaign: Campaign, requests: int) -> dict[str, list[float]]:
    cookies = {"admin": campaign.admin_cookie, "leader": campaign.leader_cookie}
    times: dict[str, list[float]] = {}
    with httpx.Client(base_url=f"http://127.0.0.1:{web.port}", timeout=60) as client:
        for name, (who, path) in _pages().items():
            headers = {"cookie": cookies[who]}
            first_byte_s(client, path, headers)  # warm-up: plans cached, pages in memory
            times[name] = [first_byte_s(client, path, headers) for _ in range(requests)]
            progress(f"{name}: p95 {p95_ms(times[name]):.0f} ms")
    return times


def _figures(measured: dict[str, list[float]], campaign: Campaign) -> BenchmarkResult:
    figures = [
        Figure(
            NAME, name, "p95", p95_ms(s), "ms", None, f"< {TARGET_MS:g} ms", p95_ms(s) < TARGET_MS
        )
        for name, s in measured.items()
    ]
    details = {
        "users": campaign.users,
        "big_leader_referrals": campaign.big_leader_referrals,
        "p50_ms": {name: 1000 * sorted(s)[len(s) // 2] for name, s in measured.items()},
        "p95_ms": {name: p95_ms(s) for name, s in measured.items()},
    }
    return BenchmarkResult(figures, details)
