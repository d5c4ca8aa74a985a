"""Read-model rebuild: events per second of `ReadModelRebuild` (what `censo ops rebuild` runs)
replaying a campaign's topics into fresh tables, against a plain aiokafka consumer reading the
same topics and doing nothing with the records.

A throw-away Kafka node and PostgreSQL; the topics get a realistic campaign (tests/support/
campaign.py) as the registration relay and the census worker write it: same keys, headers and
partitioner. Sizes: 100,000 and 1,000,000 events (full), 5,000 (smoke), or the comma-separated
counts of BENCH_REBUILD_EVENTS; the topics grow from one size to the next. BENCH_REBUILD_BATCH
sets the records per rebuild transaction (10,000, `ReadModelRebuild`'s default). Records with
personal fields are sealed and their keys served by the registration API (rebuild_keys.py).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.cpu import CpuMeter, tree_cpu_s
from bench.infra import new_database, scratch_dir
from bench.profiling import sampled
from bench.rebuild_figures import Measured, figures
from bench.rebuild_keys import CampaignKeys, opener, sealing_on, serving_keys
from bench.rebuild_topics import TOPICS, encoded, produce, raw_read
from bench.report import BenchmarkResult, progress
from services.common.db import make_engine
from services.common.kafka import ensure_topics
from services.common.migrations import migrate
from services.common.settings import KafkaSettings
from services.kafka_admin.clients import kafka_clients, partitions_of
from services.web.projection.rebuild import WEB_MIGRATIONS, ReadModelRebuild, drop_retired
from tests.support.campaign import Campaign
from tests.support.infra import running_kafka, running_postgres

NAME = "rebuild"
FULL = (100_000, 1_000_000)
SMOKE = (5_000,)
BATCH = 10_000  # records per rebuild transaction, unless BENCH_REBUILD_BATCH says otherwise


def sizes(smoke: bool) -> tuple[int, ...]:
    chosen = os.environ.get("BENCH_REBUILD_EVENTS")
    if chosen:
        return tuple(sorted(int(n.replace("_", "")) for n in chosen.split(",")))
    return SMOKE if smoke else FULL


def batch_size() -> int:
    return int(os.environ.get("BENCH_REBUILD_BATCH", BATCH))


def run(smoke: bool) -> BenchmarkResult:
    with ExitStack() as stack:
        workdir = stack.enter_context(scratch_dir("censo-bench-rebuild-"))
        kafka = stack.enter_context(running_kafka(workdir))
        pg = stack.enter_context(running_postgres(workdir))
        database = new_database(pg, "bench_web")
        batch = batch_size()
        keys = CampaignKeys(sealing_on())
        served, keys_db = stack.enter_context(serving_keys(workdir, pg, keys.token))
        server = _KeysServer(served.url, keys_db, served.process.pid) if keys.sealing else None
        measured = asyncio.run(
            _measure_all(kafka.bootstrap_servers, database, sizes(smoke), batch, keys, server)
        )
    details = {"sizes": [asdict(m) for m in measured], "batch": batch, "sealed": keys.sealing}
    return BenchmarkResult(figures(NAME, measured, batch), details)


@dataclass(frozen=True)
class _KeysServer:
    url: str
    database: str
    pid: int


async def _measure_all(
    bootstrap: str,
    database: str,
    counts: tuple[int, ...],
    batch: int,
    keys: CampaignKeys,
    server: _KeysServer | None,
) -> list[Measured]:
    settings = KafkaSettings(bootstrap_servers=bootstrap)
    await ensure_topics(settings)
    engine = make_engine(database, pool_size=2)
    await migrate(engine, WEB_MIGRATIONS)
    events = encoded(Campaign(people=max(counts)).events(), keys.record)
    produced, results = 0, []
    try:
        for count in counts:
            started = time.monotonic()
            await produce(bootstrap, itertools.islice(events, count - produced))
            produce_rate = (count - produced) / (time.monotonic() - started)
            produced = count
            if server is not None:
                await keys.store(server.database)
            m = await _measure(settings, engine, count, produce_rate, batch, keys.token, server)
            results.append(m)
    finally:
        await engine.dispose()
    return results


async def _measure(
    settings: KafkaSettings,
    engine: AsyncEngine,
    count: int,
    produce_rate: float,
    batch: int,
    token: str,
    server: _KeysServer | None,
) -> Measured:
    excluded = (server.pid,) if server is not None else ()
    with CpuMeter(excluded) as raw_cpu:
        before = await raw_read(settings)
    keys_api_before = tree_cpu_s(server.pid) if server is not None else 0.0
    with CpuMeter(excluded) as rebuild_cpu, sampled(f"rebuild-{count}"):
        seconds = await _rebuild(settings, engine, batch, server.url if server else None, token)
    rebuild_cpu_s: dict[str, float] = dict(rebuild_cpu.seconds)
    if server is not None:  # the registration API answering the keys, apart from this process
        rebuild_cpu_s["keys API"] = round(tree_cpu_s(server.pid) - keys_api_before, 2)
    after = await raw_read(settings)
    rows = await _rows(engine)
    m = Measured(
        events=count,
        raw_read_per_s=count / min(before, after),
        rebuild_per_s=count / seconds,
        rebuild_s=seconds,
        produce_per_s=produce_rate,
        rows=rows,
        load_1m=os.getloadavg()[0],
        raw_cpu_s=raw_cpu.seconds,
        rebuild_cpu_s=rebuild_cpu_s,
        machine_busy=rebuild_cpu.machine_busy,
    )
    progress(
        f"{count:,} events: rebuild {m.rebuild_per_s:,.0f}/s ({seconds:.1f} s), raw read "
        f"{m.raw_read_per_s:,.0f}/s, ratio {m.ratio:.1%}; CPU/event {m.rebuild_cpu_us:.0f} µs "
        f"{m.rebuild_cpu_s} vs {m.raw_cpu_us:.0f} µs {m.raw_cpu_s}; rows {rows}; "
        f"load {m.load_1m:.1f}, machine busy {m.machine_busy:.0%}"
    )
    return m


async def _rebuild(
    settings: KafkaSettings, engine: AsyncEngine, batch: int, keys_url: str | None, token: str
) -> float:
    """Seconds of a whole rebuild as `censo ops rebuild` runs it, the old tables dropped after."""
    async with kafka_clients(settings) as (admin, consumer), opener(keys_url, token) as records:
        partitions = await partitions_of(admin, TOPICS)
        job = ReadModelRebuild(engine, consumer, WEB_MIGRATIONS, batch, records)
        report = await job.run(partitions, lambda _: None)
    await drop_retired(engine, report.schema)
    return report.seconds


async def _rows(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as conn:
        return {
            table: await conn.scalar(text(f"SELECT count(*) FROM {table}"))
            for table in ("users", "census_status", "census_history")
        }
