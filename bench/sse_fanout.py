"""SSE fan-out: p99 from the projector's commit of a census change to its server-sent event at the
browser, with 2,000 (and 10,000) browsers connected to one web process, against one browser.

Each browser is logged in as one referral of one leader and hears of its own census only (the
audience rules), so each census change is delivered once, and the hub must find that one browser
among all of them. The changes are projected back to back by the project's own `Projector`
(CedulaValidated records, one transaction each, NOTIFY on commit) in a process of its own
(`sse_projector.py`), as the browsers are (`sse_browsers.py`), so that this process only reads.
"""

from __future__ import annotations

import asyncio
import os
import resource
import time
from contextlib import ExitStack
from dataclasses import dataclass
from uuid import UUID

from bench.cpu import tree_cpu_s
from bench.fanout_figures import BASELINE, Measured, figures, percentile_ms
from bench.fanout_population import Population, populate
from bench.infra import Served, new_database, scratch_dir, serving_web
from bench.report import BenchmarkResult, progress
from bench.sse_browsers import BrowserFleet
from bench.sse_projector import ProjectorProcess
from tests.support.infra import running_postgres

NAME = "sse_fanout"
DELIVERY_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Plan:
    baseline_changes: int  # changes of the one browser of the baseline, back to back
    clients: tuple[int, ...]  # browsers connected in each fan-out variant, one change each


FULL = Plan(
    baseline_changes=100,
    clients=tuple(int(n) for n in os.environ.get("BENCH_SSE_CLIENTS", "2000,10000").split(",")),
)
SMOKE = Plan(baseline_changes=5, clients=(50,))


def run(smoke: bool) -> BenchmarkResult:
    plan = SMOKE if smoke else FULL
    _raise_file_limit()
    with ExitStack() as stack:
        workdir = stack.enter_context(scratch_dir("censo-bench-sse-"))
        pg = stack.enter_context(running_postgres(workdir))
        url = new_database(pg, "web")
        population = asyncio.run(populate(url, max(plan.clients)))
        postgres = int((pg.data_dir / "postmaster.pid").read_text().split()[0])
        variants = [(BASELINE, 1, plan.baseline_changes)]
        variants += [(f"{n:,} browsers", n, 1) for n in plan.clients]
        measured = []
        for variant, clients, changes in variants:
            with serving_web(workdir, url, variant) as web:
                m = asyncio.run(_measure(web, postgres, population, variant, clients, changes))
            p99 = percentile_ms(m.latencies_s, 0.99)
            progress(f"{variant}: p99 {p99:.0f} ms, {len(m.latencies_s)} of {m.expected}")
            measured.append(m)
    return figures(NAME, measured)


def _raise_file_limit() -> None:
    """Every browser is a socket here and in the web process (which inherits the limit)."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


async def _measure(
    web: Served, postgres: int, population: Population, variant: str, clients: int, changes: int
) -> Measured:
    m = Measured(variant, clients)
    referrals = population.referrals[:clients]
    cookies = [population.cookies[r.data.user_id] for r in referrals]
    started = time.monotonic()
    with BrowserFleet(web.port, cookies) as fleet:
        m.connect_s = time.monotonic() - started
        events = [r for r in referrals for _ in range(changes)]
        m.expected = len(events)
        cpu_before = _cpu_now(web, postgres, fleet)
        first = population.reserve_offsets(len(events))
        with ProjectorProcess(population.database_url, events, first) as projector:
            while not projector.done:
                fleet.drain()
                await asyncio.sleep(0.05)
            projected = projector.result()
        commits = projected.commits
        m.project_s = commits[-1][1] - commits[0][1] if len(commits) > 1 else 0.0
        await fleet.collect(m.expected, DELIVERY_TIMEOUT_S)
        cpu_after = _cpu_now(web, postgres, fleet)
        m.cpu_s = {k: round(v - cpu_before[k], 2) for k, v in cpu_after.items()}
        m.cpu_s["projector"] = round(projected.cpu_s, 2)
    m.resyncs = fleet.readings.resyncs
    m.timeline = _latencies(commits, fleet.readings.received)
    m.latencies_s = [latency for _, latency in m.timeline]
    return m


def _latencies(
    commits: list[tuple[UUID, float]], received: dict[UUID, list[float]]
) -> list[tuple[float, float]]:
    """The n-th commit of a user against the n-th event that user's browser received:
    (commit time, latency) of each change delivered."""
    seen: dict[UUID, int] = {}
    out = []
    for user_id, committed_at in commits:
        n = seen[user_id] = seen.get(user_id, -1) + 1
        times = received.get(user_id, [])
        if n < len(times):
            out.append((committed_at, times[n] - committed_at))
    return out


def _cpu_now(web: Served, postgres: int, fleet: BrowserFleet) -> dict[str, float]:
    own = os.times()
    return {
        "web": tree_cpu_s(web.process.pid),
        "postgres": tree_cpu_s(postgres),
        "browsers": sum(tree_cpu_s(pid) for pid in fleet.pids),
        "bench": own.user + own.system,
    }
