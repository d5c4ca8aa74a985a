"""The live budget: how much of the census hosts' politeness budget three `censo worker run`
processes use, in scaled time (pages 200 ms, interval 1 s, captcha solves 4 s), against the
replaced portal's loop on the same simulator; spacing from the simulator's own request log; a
worker SIGKILLed while holding a host's turn. Layout and how to read it: bench/README.md."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path

from bench.infra import scratch_dir
from bench.live_budget_figures import Phase, figures
from bench.live_budget_stack import INTERVAL_S, Deployment, look_up, running_deployment
from bench.lookups import found_cedulas, take
from bench.report import BenchmarkResult, progress
from bench.worker_baseline import BaselineConfig, run_politely
from services.census_worker.settings import LookupSettings
from services.common.kafka import prepare_kafka
from services.common.settings import KafkaSettings

NAME = "live_budget"
CAPTCHA_SOLVE_MS = 4000
ONE_HOST, TWO_HOSTS = "wsp", "wsp,consultacenso"


@dataclass(frozen=True)
class Plan:
    workers: int
    one_host: int  # lookups through the workers, one host
    two_hosts: int  # the same with both variants in rotation
    baseline: int  # lookups of the replaced portal's loop
    killed: int  # lookups during which a worker holding a turn is SIGKILLed (0: skipped)


FULL = Plan(workers=3, one_host=300, two_hosts=300, baseline=20, killed=40)
SMOKE = Plan(workers=2, one_host=12, two_hosts=10, baseline=2, killed=0)  # CI: about a minute


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
        phases = [
            await _through_workers(
                deployment, "one host", ONE_HOST, plan, take(cedulas, plan.one_host)
            ),
            await _through_workers(
                deployment, "two hosts", TWO_HOSTS, plan, take(cedulas, plan.two_hosts)
            ),
        ]
        if plan.killed:
            phases.append(await _killed(deployment, plan, take(cedulas, plan.killed)))
        phases.append(await _baseline(deployment, take(cedulas, plan.baseline)))
    return phases


async def _through_workers(
    deployment: Deployment, name: str, sources: str, plan: Plan, cedulas: list[str]
) -> Phase:
    deployment.start_workers(plan.workers, sources)
    since = time.monotonic()
    try:
        answered = await look_up(
            deployment.env["KAFKA_BOOTSTRAP_SERVERS"], cedulas, 60 + 3 * len(cedulas)
        )
        captcha = deployment.captcha_readings()
    finally:
        deployment.stop_workers()
    phase = Phase(
        name, len(sources.split(",")), len(answered), deployment.lookup_starts(since), captcha
    )
    progress(f"{name}: {phase.rate:.2f} lookups/s, budget used {phase.budget_used:.2f}")
    return phase


async def _killed(deployment: Deployment, plan: Plan, cedulas: list[str]) -> Phase:
    deployment.start_workers(plan.workers, ONE_HOST)
    since = time.monotonic()
    bootstrap = deployment.env["KAFKA_BOOTSTRAP_SERVERS"]
    try:
        lookups = asyncio.create_task(look_up(bootstrap, cedulas, 60 + 3 * len(cedulas)))
        await deployment.kill_a_holder()
        killed_at = time.monotonic()
        answered = await lookups
        captcha = deployment.captcha_readings()
    finally:
        deployment.stop_workers()
    phase = Phase(
        "SIGKILL of a turn's holder",
        1,
        len(answered),
        deployment.lookup_starts(since),
        captcha,
        killed_at,
    )
    progress(f"SIGKILL: budget resumed after {phase.resumed_after_s:.2f} s")
    return phase


async def _baseline(deployment: Deployment, cedulas: list[str]) -> Phase:
    config = BaselineConfig(
        page_url=f"{deployment.sim_url}/censo/consultar/",
        captcha_base_url=deployment.sim_url,
        captcha_api_key="bench",
        captcha_poll_interval_s=0.2,
        chromium_path=LookupSettings().chromium_path,
    )
    since = time.monotonic()
    seconds = await asyncio.to_thread(run_politely, config, cedulas, INTERVAL_S)
    phase = Phase(
        "baseline: portal loop",
        1,
        len(cedulas),
        deployment.lookup_starts(since),
        {},
        seconds=seconds,
    )
    progress(f"baseline: {phase.rate:.3f} lookups/s")
    return phase
