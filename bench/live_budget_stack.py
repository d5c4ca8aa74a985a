"""The deployment of the live-budget benchmark: a Kafka node, the worker database, the simulator
(with its request log) and `censo worker run` processes sharing them, in scaled time."""

from __future__ import annotations

import asyncio
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import text

from bench.infra import clean_env, new_database
from bench.live_budget_requests import start_group_at_the_end
from services.common.db import make_engine
from tests.support.infra import free_port, running_kafka, running_postgres
from tests.support.processes import ServiceProcess

INTERVAL_S = 1.0  # WORKER_MIN_INTERVAL_S, scaled down from the real 5 s
LEASE_S = 3.0
WORKER_NICENESS = 10
GROUP_SETTLE_S = 4.0
TURN_WARNINGS = ("census.turn_started_after_lease", "census.turn_lost_before_release")
PAGES = {"wsp": "/censo/consultar", "consultacenso": "/consultacenso"}  # as logged: no slash
_HOLDER = text("SELECT holder FROM census_hosts WHERE host = 'wsp'")
_USED = text("SELECT count(*) FROM host_turns")
_RELEASES = text(
    "SELECT host, extract(epoch FROM started_at)::float8 AS at FROM host_turns"
    " WHERE started_at >= to_timestamp(:since) ORDER BY started_at"
)
_SAMPLE = re.compile(
    r"^(census_captcha_\w+?|census_lookup_duration_seconds_(?:sum|count)|census_lookups_total)"
    r"(?:\{(?:result|status)=\"(\w+)\"\})? ([0-9.e+-]+)$",
    re.M,
)


@dataclass
class Deployment:
    env: dict[str, str]
    log_dir: Path
    workers: list[ServiceProcess] = field(default_factory=list)
    metrics_ports: list[int] = field(default_factory=list)

    @property
    def sim_url(self) -> str:
        return f"http://127.0.0.1:{self.env['SIM_PORT']}"

    async def start_workers(self, count: int, sources: str) -> None:
        """`count` workers of a new consumer group, which reads only what is published next."""
        group = f"bench-{secrets.token_hex(3)}"
        await start_group_at_the_end(self.env["KAFKA_BOOTSTRAP_SERVERS"], group)
        for i in range(count):
            port = free_port()
            env = self.env | {
                "CENSUS_SOURCES": sources,
                "WORKER_GROUP_ID": group,
                "WORKER_METRICS_PORT": str(port),
            }
            name = f"worker-{group}-{i}"
            worker = ServiceProcess(name, ["worker", "run"], env, self.log_dir).start()
            # The simulator stands for a remote site: the workers' Chromiums must not starve it
            # (its request log would then time requests late). Children inherit the niceness.
            if worker.process is not None:
                os.setpriority(os.PRIO_PROCESS, worker.process.pid, WORKER_NICENESS)
            self.workers.append(worker)
            self.metrics_ports.append(port)
        for worker, port in zip(self.workers, self.metrics_ports, strict=True):
            worker.wait_http(f"http://127.0.0.1:{port}/metrics")
        # Let the group settle: a rebalance while lookups run delivers their records again.
        await asyncio.sleep(GROUP_SETTLE_S)

    def captcha_readings(self) -> dict[str, float]:
        """The live workers' captcha metrics, summed (solves by result, expired tokens, spend),
        their lookups by status and their time (from the turn to the answer: sum and count)."""
        total: dict[str, float] = {}
        for worker, port in zip(self.workers, self.metrics_ports, strict=True):
            if worker.process is None or worker.process.poll() is not None:
                continue  # killed by the benchmark: its counts died with it
            text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
            for name, result, value in _SAMPLE.findall(text):
                key = f"{name}:{result}" if result else name
                total[key] = total.get(key, 0.0) + float(value)
        return total

    async def kill_a_holder(self) -> None:
        """SIGKILL the worker holding wsp's booked turn, once some turns were used."""
        by_pid = {str(w.process.pid): w for w in self.workers if w.process}
        engine = make_engine(self.env["WORKER_DATABASE_URL"], pool_size=1)
        async with engine.connect() as conn:
            before = (await conn.execute(_USED)).scalar() or 0  # earlier phases' turns
        try:
            async with asyncio.timeout(120):
                while True:
                    async with engine.connect() as conn:
                        holder = (await conn.execute(_HOLDER)).scalar()
                        used = (await conn.execute(_USED)).scalar()
                    pid = holder.split("-")[-2] if holder else None
                    if pid in by_pid and (used or 0) >= before + 5:
                        by_pid[pid].kill()
                        return
                    await asyncio.sleep(0.01)
        finally:
            await engine.dispose()

    def turn_warnings(self) -> dict[str, int]:
        """This phase's workers' warnings about turns (a first request after the lease, a turn
        lost before its release), counted in their logs."""
        counts = dict.fromkeys(TURN_WARNINGS, 0)
        for worker in self.workers:
            text = worker.log_file.read_text(errors="replace") if worker.log_file.exists() else ""
            for warning in TURN_WARNINGS:
                counts[warning] += text.count(warning)
        return counts

    def stop_workers(self) -> None:
        for worker in self.workers:
            worker.kill()  # the figures are taken; a graceful stop would only cost time
        self.workers, self.metrics_ports = [], []

    def lookup_starts(self, since: float) -> dict[str, list[float]]:
        """When each lookup's first request (its page GET) reached the simulator, per host
        (wall clock, seconds)."""
        logged = httpx.get(f"{self.sim_url}/_sim/requests", timeout=30).json()
        starts: dict[str, list[float]] = {}
        for entry in logged:
            page = PAGES.get(entry["variant"])
            if entry["wall"] >= since and entry["method"] == "GET" and entry["path"] == page:
                starts.setdefault(entry["variant"], []).append(entry["wall"])
        return {host: sorted(times) for host, times in starts.items()}

    async def turn_releases(self, since: float) -> dict[str, list[float]]:
        """When the workers' database recorded each used turn's release (the worker saw its
        first request leave Chromium), per host (wall clock, seconds)."""
        engine = make_engine(self.env["WORKER_DATABASE_URL"], pool_size=1)
        try:
            async with engine.connect() as conn:
                rows = (await conn.execute(_RELEASES, {"since": since})).all()
        finally:
            await engine.dispose()
        releases: dict[str, list[float]] = {}
        for host, at in rows:
            releases.setdefault(host, []).append(at)
        return releases


@contextmanager
def running_deployment(workdir: Path, captcha_solve_ms: int) -> Iterator[Deployment]:
    with ExitStack() as stack:
        kafka = stack.enter_context(running_kafka(workdir))
        pg = stack.enter_context(running_postgres(workdir))
        env = _env(kafka.bootstrap_servers, new_database(pg, "census_worker"), captcha_solve_ms)
        deployment = Deployment(env, workdir)
        simulator = ServiceProcess("simulator", ["infra", "simulator"], env, workdir).start()
        stack.callback(simulator.stop)
        stack.callback(deployment.stop_workers)
        simulator.wait_http(f"{deployment.sim_url}/in.php")
        yield deployment


def _env(kafka: str, database: str, captcha_solve_ms: int) -> dict[str, str]:
    port = free_port()
    simulator = f"http://127.0.0.1:{port}"
    settings = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka,
        "SIM_PORT": str(port),
        "SIM_REQUEST_LOG": "true",
        "SIM_LATENCY_MS": "200",
        "SIM_CAPTCHA_SOLVE_MS": str(captcha_solve_ms),
        "CENSUS_WSP_URL": f"{simulator}/censo/consultar/",
        "CENSUS_CONSULTACENSO_URL": f"{simulator}/consultacenso/",
        "CENSUS_CAPTCHA_BASE_URL": simulator,
        "CENSUS_CAPTCHA_API_KEY": "bench",
        "CENSUS_CAPTCHA_POLL_INTERVAL_S": "0.2",
        "CENSUS_CAPTCHA_POOL_SIZE": "10",
        # A page is opened when its turn is booked, about an interval before the turn comes, and
        # a lookup takes 1.5-2.5 s here: with two hosts a worker has two pages waiting for turns
        # and two or three lookups in flight.
        "CENSUS_MAX_CONCURRENT_LOOKUPS": "6",
        # Scaled time shortens the interval 5× but not Chromium's lookup: a worker needs more
        # lookups waiting for turns than in production to keep a booking at each host.
        "WORKER_PARTITIONS_IN_PARALLEL": "8",
        "WORKER_DATABASE_URL": database,
        "WORKER_MIN_INTERVAL_S": str(INTERVAL_S),
        "WORKER_TURN_LEASE_S": str(LEASE_S),
        "CENSUS_FRESH_FOR": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    return clean_env(("KAFKA_", "SIM_", "CENSUS_", "WORKER_", "LOG_"), settings)
