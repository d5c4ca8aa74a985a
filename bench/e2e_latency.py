"""End-to-end latency: from a registration's request returning to (a) the web read table showing
its census answer and (b) the leader's browser getting the server-sent event for it, with the
time spent in each hop, at a fixed rate of registrations (open loop), against the baseline of a
direct lookup (the project's lookup stack against the same simulator, nothing else).

Every service runs as its own process (bench/e2e_stack.py): simulator pages 200 ms, no
politeness delay, captcha tokens solved ahead. Registrations use the leader's referral code, and
the leader, logged in through the web form, holds /eventos open.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
import httpx

from bench.e2e_figures import Baseline, Variant, figures
from bench.e2e_observe import Observer, Trace, consume, listening
from bench.e2e_stack import Stack, cpu_of, make_leader, running_stack, sign_up, web_login
from bench.infra import scratch_dir
from bench.lookups import found_cedulas, take
from bench.report import BenchmarkResult, progress
from bench.sse_client import SseClient
from services.census_worker.lookup.factory import open_lookup_stack
from services.census_worker.lookup.settings import LookupSettings
from services.common.db import asyncpg_dsn

NAME = "e2e_latency"


@dataclass(frozen=True)
class Rate:
    per_s: float
    seconds: float
    headline: bool = False  # the rate, judged against the target

    @property
    def name(self) -> str:
        return f"{self.per_s:g} registrations/s × {self.seconds:g} s"


@dataclass(frozen=True)
class Plan:
    baseline_lookups: int
    rates: tuple[Rate, ...]
    drain_s: float  # how long answers may still arrive after the last registration


# First a rate the worker keeps up with on 2 cores, which shows the pipeline's own overhead
# rather than the queue in front of Chromium; then the 20/s (whose backlog would delay
# anything measured after it).
FULL = Plan(10, (Rate(1, 60), Rate(20, 60, headline=True)), drain_s=120)
SMOKE = Plan(1, (Rate(2, 3, headline=True),), drain_s=45)


def run(smoke: bool) -> BenchmarkResult:
    plan = SMOKE if smoke else FULL
    cedulas = found_cedulas(seed=11)
    started = time.monotonic()
    with scratch_dir("censo-bench-e2e-") as workdir, running_stack(workdir) as stack:
        progress(f"stack up in {time.monotonic() - started:.0f} s")
        leader_cedula = next(cedulas)
        leader = make_leader(stack, leader_cedula)
        asyncio.run(_wait_for_role(stack, leader["id"], "LEADER"))
        cookie = web_login(stack, leader_cedula)
        progress(f"leader logged in at {time.monotonic() - started:.0f} s")
        baseline, variants = asyncio.run(_measure(stack, plan, leader, cookie, cedulas))
    return figures(NAME, baseline, variants)


async def _wait_for_role(stack: Stack, user_id: str, role: str, timeout_s: float = 60.0) -> None:
    """The web guard takes the viewer's role from the read model: wait until it is projected."""
    conn = await asyncpg.connect(asyncpg_dsn(stack.env["WEB_DATABASE_URL"]))
    try:
        deadline = time.monotonic() + timeout_s
        query = "SELECT role FROM users WHERE user_id = $1"
        while await conn.fetchval(query, UUID(user_id)) != role:
            if time.monotonic() > deadline:
                raise TimeoutError(f"the web read model never showed the {role}")
            await asyncio.sleep(0.2)
    finally:
        await conn.close()


async def _measure(
    stack: Stack, plan: Plan, leader: dict[str, Any], cookie: str, cedulas: Iterator[str]
) -> tuple[Baseline, list[Variant]]:
    baseline = await _direct_lookups(stack, take(cedulas, plan.baseline_lookups))
    progress(f"baseline: direct lookup median {baseline.median_ms:.0f} ms")
    observer, stop = Observer(), asyncio.Event()
    browser = SseClient(int(stack.env["WEB_PORT"]), cookie, observer.on_sse)
    async with listening(observer, stack.env["WEB_DATABASE_URL"]):
        kafka = asyncio.create_task(consume(observer, stack.env["KAFKA_BOOTSTRAP_SERVERS"], stop))
        await browser.connect()
        reading = asyncio.create_task(browser.run())
        try:
            variants = []
            for rate in plan.rates:
                variant = await _variant(stack, observer, rate, leader, cedulas, plan.drain_s)
                progress(f"{rate.name}: {variant.answered} of {len(variant.traces)} answered")
                variants.append(variant)
        finally:
            stop.set()
            reading.cancel()
            await browser.close()
            await kafka
    return baseline, variants


async def _direct_lookups(stack: Stack, cedulas: list[str]) -> Baseline:
    """One lookup after another through the project's lookup stack, straight to the simulator:
    the simulator's own latency (two pages at 200 ms) plus Chromium's, and nothing of ours."""
    settings = LookupSettings(
        _env_file=None,  # type: ignore[call-arg]
        wsp_url=stack.env["CENSUS_WSP_URL"],
        captcha_base_url=stack.env["CENSUS_CAPTCHA_BASE_URL"],
        captcha_api_key="bench",  # type: ignore[arg-type]
        captcha_poll_interval_s=float(stack.env["CENSUS_CAPTCHA_POLL_INTERVAL_S"]),
        captcha_pool_size=2,
        max_concurrent_lookups=1,
    )
    seconds = []
    async with open_lookup_stack(settings) as lookups:
        await lookups.source.lookup(cedulas[0])  # untimed: Chromium launched, pool filled
        for cedula in cedulas:
            started = time.perf_counter()
            await lookups.source.lookup(cedula)
            seconds.append(time.perf_counter() - started)
    return Baseline(seconds)


async def _variant(
    stack: Stack,
    observer: Observer,
    rate: Rate,
    leader: dict[str, Any],
    cedulas: Iterator[str],
    drain_s: float,
) -> Variant:
    variant = Variant(rate.name, rate.per_s, rate.headline)
    cpu_before = {name: cpu_of(pid) for name, pid in stack.pids().items()}
    limits = httpx.Limits(max_connections=64)
    headers = stack.registration_headers
    async with httpx.AsyncClient(timeout=60.0, headers=headers, limits=limits) as http:
        started, count = time.monotonic(), int(rate.per_s * rate.seconds)

        async def register(n: int, cedula: str) -> None:
            await asyncio.sleep(max(0.0, started + n / rate.per_s - time.monotonic()))
            trace = await _register(http, stack, cedula, leader["referral_code"], observer)
            if trace is None:
                variant.failed += 1
            else:
                variant.traces.append(trace)

        await asyncio.gather(*(register(n, c) for n, c in enumerate(take(cedulas, count))))
    variant.sending_s = time.monotonic() - started
    await _drain(variant.traces, drain_s)
    cpu_after = {name: cpu_of(pid) for name, pid in stack.pids().items()}
    variant.cpu_s = {name: round(cpu_after[name] - cpu_before[name], 1) for name in cpu_after}
    variant.load_average = os.getloadavg()[0]
    return variant


async def _register(
    http: httpx.AsyncClient, stack: Stack, cedula: str, code: str, observer: Observer
) -> Trace | None:
    body = sign_up(cedula, code)
    try:
        answer = await http.post(stack.url("registration", "/api/users"), json=body)
    except httpx.HTTPError:
        return None
    returned_at = time.time()
    if answer.status_code != 201:
        return None
    return observer.registered(UUID(answer.json()["id"]), returned_at)


async def _drain(traces: list[Trace], drain_s: float) -> None:
    deadline = time.monotonic() + drain_s
    while time.monotonic() < deadline:
        if all(t.pushed is not None and t.projected is not None for t in traces):
            return
        await asyncio.sleep(0.2)
