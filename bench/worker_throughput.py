"""Census worker throughput: lookups per second of the project's lookup stack at 1, 4, 8 and 16
concurrent lookups against the replaced system's sequential lookup, with peak memory, CPU per
lookup, and whether memory stays flat over many lookups. Then the same on pages as heavy as the
real site's (`SIM_PAGE_WEIGHT=real`): the replaced loop, and the worker at 8 concurrent with and
without what a lookup never needs blocked (`CENSUS_BLOCK_UNNEEDED`).

The simulator answers every page GET and consulta POST after 200 ms and solves captchas at once;
no politeness delay applies (the lookup stack is driven directly, not through the worker's
Kafka consumer and its throttle).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.infra import scratch_dir, serving_simulator
from bench.lookups import Tally, drive, found_cedulas, take
from bench.meters import Meters
from bench.report import BenchmarkResult, progress
from bench.worker_baseline import BaselineConfig, run_sequentially
from bench.worker_figures import (
    BASELINE,
    REAL_BASELINE,
    REAL_BLOCKING,
    REAL_LOADING_ALL,
    SOAK,
    Measured,
    figures,
)
from services.census_worker.lookup.factory import open_lookup_stack
from services.census_worker.lookup.settings import LookupSettings

NAME = "worker_throughput"
SIM_LATENCY_MS = 200
CAPTCHA_POLL_S = 0.05  # res.php is polled this often, by the baseline and the worker alike
CAPTCHA_KEY = "bench-key"


@dataclass(frozen=True)
class Plan:
    baseline: int  # sequential lookups of the baseline
    levels: dict[int, int]  # concurrency → lookups measured at it
    no_pool: int  # lookups at 8 concurrent without the token pool
    soak: int  # lookups at 8 concurrent for the memory trend
    warmup: int  # untimed lookups first: Chromium launched, token pool filled
    real_baseline: int  # on the real page weight: lookups of the replaced loop
    real: int  # and of the worker at 8 concurrent, blocking on and off


FULL = Plan(
    baseline=40,
    levels={1: 30, 4: 80, 8: 120, 16: 160},
    no_pool=120,
    soak=5000,
    warmup=2,
    real_baseline=20,
    real=120,
)
# Smoke: every code path (baseline, pool, no pool, soak, real page), a handful of lookups each;
# one concurrency level only, since each variant launches its own Chromium (CI time).
SMOKE = Plan(baseline=1, levels={8: 3}, no_pool=2, soak=4, warmup=1, real_baseline=1, real=2)


@dataclass(frozen=True)
class _Run:
    """What every variant shares: the simulator and the cédulas still unused."""

    sim_url: str
    excluded: tuple[int, ...]  # the simulator's pid: not part of the worker's memory or CPU
    cedulas: Iterator[str]
    warmup: int


def run(smoke: bool) -> BenchmarkResult:
    plan = SMOKE if smoke else FULL
    with scratch_dir("censo-bench-worker-") as workdir:
        measured = asyncio.run(_measure_all(plan, workdir))
    return figures(NAME, measured)


async def _measure_all(plan: Plan, workdir: Path) -> list[Measured]:
    simulator = serving_simulator(workdir, latency_ms=SIM_LATENCY_MS, captcha_solve_ms=0)
    with simulator as sim:
        run = _Run(sim.url, (sim.process.pid,), found_cedulas(), plan.warmup)
        results = [_reported(await _baseline(run, plan.baseline))]
        for concurrency, count in plan.levels.items():
            variant = f"worker c={concurrency}"
            measured = await _worker(run, variant, concurrency, _pool(concurrency), count)
            results.append(_reported(measured))
        no_pool = await _worker(run, "worker c=8, no token pool", 8, 0, plan.no_pool)
        results.append(_reported(no_pool))
        results.append(_reported(await _worker(run, SOAK, 8, _pool(8), plan.soak)))
    real_page = serving_simulator(
        workdir, latency_ms=SIM_LATENCY_MS, captcha_solve_ms=0, page_weight="real"
    )
    with real_page as sim:
        run = _Run(sim.url, (sim.process.pid,), run.cedulas, plan.warmup)
        results.append(_reported(await _baseline(run, plan.real_baseline, REAL_BASELINE)))
        for variant, block in ((REAL_BLOCKING, True), (REAL_LOADING_ALL, False)):
            measured = await _worker(run, variant, 8, _pool(8), plan.real, block=block)
            results.append(_reported(measured))
    return results


def _reported(m: Measured) -> Measured:
    failed = m.tally.failures.total()
    progress(f"{m.variant}: {m.rate:.2f} lookups/s, {m.tally.done} lookups, {failed} failed")
    return m


def _pool(concurrency: int) -> int:
    return min(20, 2 * concurrency)  # tokens ready for two rounds of lookups


def _settings(sim_url: str, concurrency: int, pool_size: int, block: bool = True) -> LookupSettings:
    return LookupSettings(
        _env_file=None,  # type: ignore[call-arg]
        source="wsp",
        wsp_url=f"{sim_url}/censo/consultar/",
        captcha_base_url=sim_url,
        captcha_api_key=CAPTCHA_KEY,  # type: ignore[arg-type]
        captcha_poll_interval_s=CAPTCHA_POLL_S,
        captcha_pool_size=pool_size,
        max_concurrent_lookups=concurrency,
        block_unneeded=block,
    )


async def _worker(
    run: _Run, variant: str, concurrency: int, pool: int, count: int, *, block: bool = True
) -> Measured:
    warmup, cedulas = take(run.cedulas, run.warmup), take(run.cedulas, count)
    tally = Tally()
    meters = Meters(tally, run.excluded)
    async with open_lookup_stack(_settings(run.sim_url, concurrency, pool, block)) as stack:
        await drive(stack.source, warmup, min(concurrency, run.warmup), None)
        with meters:
            seconds = await drive(stack.source, cedulas, concurrency, tally)
    return Measured(variant, concurrency, seconds, tally, meters)


async def _baseline(run: _Run, count: int, variant: str = BASELINE) -> Measured:
    config = BaselineConfig(
        page_url=f"{run.sim_url}/censo/consultar/",
        captcha_base_url=run.sim_url,
        captcha_api_key=CAPTCHA_KEY,
        captcha_poll_interval_s=CAPTCHA_POLL_S,
        chromium_path=LookupSettings().chromium_path,  # the worker's own (CENSUS_CHROMIUM_PATH)
    )
    warmup, cedulas = take(run.cedulas, run.warmup), take(run.cedulas, count)
    tally = Tally()
    meters = Meters(tally, run.excluded)
    seconds = await asyncio.to_thread(
        run_sequentially, config, cedulas, warmup, tally.count, measuring=meters
    )
    return Measured(variant, 1, seconds, tally, meters)
