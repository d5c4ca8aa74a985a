"""The live budget: how much of the census hosts' politeness budget three `censo worker run`
processes use, in scaled time (pages 200 ms, interval 1 s, captcha solves 4 s), against the
replaced portal's loop on the same simulator; spacing from the simulator's own request log; new
sign-ups during a revalidation (lanes); a worker SIGKILLed while holding a host's turn. Layout
and how to read it: bench/README.md."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path

from bench.infra import scratch_dir
from bench.live_budget_figures import BASELINE, KILLED, figures
from bench.live_budget_phase import Phase
from bench.live_budget_requests import Requests, look_up
from bench.live_budget_stack import INTERVAL_S, Deployment, running_deployment
from bench.lookups import found_cedulas, take
from bench.report import BenchmarkResult, progress
from bench.worker_baseline import BaselineConfig, run_politely
from services.census_worker.lookup.settings import LookupSettings
from services.common.kafka import prepare_kafka
from services.common.settings import KafkaSettings

NAME = "live_budget"
CAPTCHA_SOLVE_MS = 4000
ONE_HOST, TWO_HOSTS = "wsp", "wsp,consultacenso"


@dataclass(frozen=True)
class Plan:
    workers: int
    one_host: int  # lookups of a revalidation (bulk lane) through the workers, one host
    sign_ups: int  # new sign-ups published during it (lanes): from `sign_ups_after_s` (the
    sign_ups_after_s: float  # revalidation's backlog is waiting by then), one every
    sign_up_every_s: float  # `sign_up_every_s`
    two_hosts: int  # a revalidation with both variants in rotation
    baseline: int  # lookups of the replaced portal's loop
    killed: int  # lookups during which a worker holding a turn is SIGKILLed (0: skipped)


FULL = Plan(
    3,
    one_host=300,
    sign_ups=10,
    sign_ups_after_s=15,
    sign_up_every_s=20,
    two_hosts=300,
    baseline=20,
    killed=40,
)
SMOKE = Plan(
    2,
    one_host=14,
    sign_ups=2,
    sign_ups_after_s=5,
    sign_up_every_s=3,
    two_hosts=12,
    baseline=2,
    killed=0,
)  # CI: under 2 min


def run(smoke: bool) -> BenchmarkResult:
    plan = SMOKE if smoke else FULL
    with scratch_dir("censo-bench-budget-") as workdir:
        phases = asyncio.run(_measure(plan, workdir))
    return figures(NAME, phases, plan.workers)


async def _measure(plan: Plan, workdir: Path) -> list[Phase]:
    cedulas = found_cedulas(seed=13)
    with running_deployment(workdir, CAPTCHA_SOLVE_MS) as deployment:
        bootstrap = deployment.env["KAFKA_BOOTSTRAP_SERVERS"]
        await prepare_kafka(KafkaSettings(bootstrap_servers=bootstrap))  # topics before watching
        bulk, sign_ups = take(cedulas, plan.one_host), take(cedulas, plan.sign_ups)
        one = Requests(bulk, sign_ups, plan.sign_ups_after_s, plan.sign_up_every_s)
        phases = [
            await _through_workers(deployment, "one host", ONE_HOST, plan, one),
            await _through_workers(
                deployment, "two hosts", TWO_HOSTS, plan, Requests(take(cedulas, plan.two_hosts))
            ),
        ]
        if plan.killed:
            phases.append(await _killed(deployment, plan, Requests(take(cedulas, plan.killed))))
        phases.append(await _baseline(deployment, take(cedulas, plan.baseline)))
    return phases


def _timeout_s(requests: Requests) -> float:
    return 60 + 3 * len(requests.cedulas)


async def _through_workers(
    deployment: Deployment, name: str, sources: str, plan: Plan, requests: Requests
) -> Phase:
    await deployment.start_workers(plan.workers, sources)
    since = time.time()
    try:
        bootstrap = deployment.env["KAFKA_BOOTSTRAP_SERVERS"]
        answers = await look_up(bootstrap, requests, _timeout_s(requests))
        captcha = deployment.captcha_readings() | deployment.turn_warnings()
    finally:
        deployment.stop_workers()
    hosts = len(sources.split(","))
    starts = deployment.lookup_starts(since)
    phase = Phase(name, hosts, len(answers.at), starts, captcha, answers.sign_up_waits())
    phase.releases = await deployment.turn_releases(since)
    progress(f"{name}: {phase.rate:.2f} lookups/s, budget used {phase.budget_used:.2f}")
    return phase


async def _killed(deployment: Deployment, plan: Plan, requests: Requests) -> Phase:
    await deployment.start_workers(plan.workers, ONE_HOST)
    since = time.time()
    bootstrap = deployment.env["KAFKA_BOOTSTRAP_SERVERS"]
    try:
        lookups = asyncio.create_task(look_up(bootstrap, requests, _timeout_s(requests)))
        await deployment.kill_a_holder()
        killed_at = time.time()
        answers = await lookups
        captcha = deployment.captcha_readings() | deployment.turn_warnings()
    finally:
        deployment.stop_workers()
    starts = deployment.lookup_starts(since)
    phase = Phase(KILLED, 1, len(answers.at), starts, captcha, killed_at=killed_at)
    phase.releases = await deployment.turn_releases(since)
    progress(f"SIGKILL: gap in the request log {phase.gap_around_kill_s:.2f} s")
    return phase


async def _baseline(deployment: Deployment, cedulas: list[str]) -> Phase:
    config = BaselineConfig(
        page_url=f"{deployment.sim_url}/censo/consultar/",
        captcha_base_url=deployment.sim_url,
        captcha_api_key="bench",
        captcha_poll_interval_s=0.2,
        chromium_path=LookupSettings().chromium_path,
    )
    since = time.time()
    seconds = await asyncio.to_thread(run_politely, config, cedulas, INTERVAL_S)
    phase = Phase(BASELINE, 1, len(cedulas), deployment.lookup_starts(since), {}, seconds=seconds)
    progress(f"baseline: {phase.rate:.3f} lookups/s")
    return phase
