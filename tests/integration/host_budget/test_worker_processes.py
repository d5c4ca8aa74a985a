"""Three real `censo worker run` processes share one budget per census host: the simulator's own
record of every lookup's first request shows no two lookups of one host closer than the
interval, with one host, with two in rotation, and when a worker holding a turn is SIGKILLed."""

from __future__ import annotations

import asyncio
import itertools
import secrets
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from schemas import topics
from schemas.envelope import encode_event
from services.common.db import make_engine
from tests.support.events import user_registered
from tests.support.infra import free_port
from tests.support.kafka import publish, start_group_at_end, worker_topics
from tests.support.kafka_wait import watching
from tests.support.processes import ServiceProcess

INTERVAL_S = 1.0
PAGES = {"wsp": "/censo/consultar", "consultacenso": "/consultacenso"}  # as routed: no slash


@pytest.fixture
async def deployment(
    kafka_bootstrap: str, tmp_path: Path, create_database: Callable[[str], str]
) -> AsyncIterator[dict[str, str]]:
    """Settings shared by the workers, and the simulator (with its request log) they use."""
    port, group = free_port(), f"worker-{secrets.token_hex(4)}"
    for name in (group, f"{group}-retry"):
        await start_group_at_end(kafka_bootstrap, name, worker_topics())
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "SIM_PORT": str(port),
        "SIM_REQUEST_LOG": "true",
        "SIM_LATENCY_MS": "100",
        "CENSUS_WSP_URL": f"http://127.0.0.1:{port}/censo/consultar/",
        "CENSUS_CONSULTACENSO_URL": f"http://127.0.0.1:{port}/consultacenso/",
        "CENSUS_CAPTCHA_BASE_URL": f"http://127.0.0.1:{port}",
        "CENSUS_CAPTCHA_API_KEY": "test",
        "CENSUS_CAPTCHA_POLL_INTERVAL_S": "0.1",
        "CENSUS_MAX_CONCURRENT_LOOKUPS": "2",
        "WORKER_GROUP_ID": group,
        "WORKER_DATABASE_URL": create_database("census_worker"),
        "WORKER_MIN_INTERVAL_S": str(INTERVAL_S),
        "WORKER_TURN_LEASE_S": "3",
        "WORKER_METRICS_PORT": "0",
        "WORKER_COALESCE_WINDOW_S": "0",
        "PYTHONUNBUFFERED": "1",
    }
    simulator = ServiceProcess("simulator", ["infra", "simulator"], env, tmp_path).start()
    simulator.wait_http(f"http://127.0.0.1:{port}/in.php")
    yield env
    simulator.stop()


def start_workers(env: dict[str, str], log_dir: Path, count: int) -> list[ServiceProcess]:
    return [
        ServiceProcess(f"worker-{i}", ["worker", "run"], env, log_dir).start() for i in range(count)
    ]


async def look_up(bootstrap: str, cedulas: list[str], timeout_s: float) -> None:
    async with watching(bootstrap, topics.CENSUS_RESULTS.name) as watcher:
        for cedula in cedulas:
            await publish(
                bootstrap, topics.ACCOUNTS.name, *encode_event(user_registered(cedula))[:2]
            )
        await watcher.wait_for(
            lambda _: all(
                any(b["type"] == "CedulaValidated" for b in watcher.bodies(c)) for c in cedulas
            ),
            timeout_s,
        )


async def lookup_starts(env: dict[str, str]) -> dict[str, list[float]]:
    """When each lookup's first request (its page GET) reached the simulator, per host."""
    async with httpx.AsyncClient() as client:
        logged = (await client.get(f"http://127.0.0.1:{env['SIM_PORT']}/_sim/requests")).json()
    starts: dict[str, list[float]] = {}
    for entry in logged:
        if entry["method"] == "GET" and entry["path"].rstrip("/") == PAGES.get(entry["variant"]):
            starts.setdefault(entry["variant"], []).append(entry["at"])
    return starts


def closest_gap(times: list[float]) -> float:
    ordered = sorted(times)
    return min((b - a for a, b in itertools.pairwise(ordered)), default=INTERVAL_S)


def cedulas(count: int) -> list[str]:
    return [str(60_000_000 + secrets.randbelow(9_000_000)) for _ in range(count)]


async def test_three_workers_keep_one_interval_between_lookups_of_one_host(
    kafka_bootstrap: str, deployment: dict[str, str], tmp_path: Path
) -> None:
    workers = start_workers(deployment, tmp_path, 3)
    try:
        await look_up(kafka_bootstrap, cedulas(8), 120)
    finally:
        for worker in workers:
            worker.kill()

    starts = await lookup_starts(deployment)
    assert set(starts) == {"wsp"} and len(starts["wsp"]) >= 8
    assert closest_gap(starts["wsp"]) >= INTERVAL_S


async def test_both_variants_in_rotation_each_keep_their_own_interval(
    kafka_bootstrap: str, deployment: dict[str, str], tmp_path: Path
) -> None:
    workers = start_workers(deployment | {"CENSUS_SOURCES": "wsp,consultacenso"}, tmp_path, 3)
    try:
        await look_up(kafka_bootstrap, cedulas(10), 120)
    finally:
        for worker in workers:
            worker.kill()

    starts = await lookup_starts(deployment)
    assert set(starts) == {"wsp", "consultacenso"}
    assert all(closest_gap(times) >= INTERVAL_S for times in starts.values())


async def test_a_worker_killed_while_holding_a_turn_loses_it_after_the_lease(
    kafka_bootstrap: str, deployment: dict[str, str], tmp_path: Path
) -> None:
    workers = start_workers(deployment, tmp_path, 3)
    engine = make_engine(deployment["WORKER_DATABASE_URL"], pool_size=1)
    try:
        lookups = asyncio.create_task(look_up(kafka_bootstrap, cedulas(8), 150))
        killed = await kill_a_holder(engine, workers)
        await lookups
        async with engine.connect() as conn:
            used_by = set((await conn.execute(text("SELECT worker FROM host_turns"))).scalars())
    finally:
        await engine.dispose()
        for worker in workers:
            worker.kill()

    assert killed in {w.split("-")[-2] for w in used_by}  # it had used turns before
    starts = await lookup_starts(deployment)
    assert closest_gap(starts["wsp"]) >= INTERVAL_S


async def kill_a_holder(engine, workers: list[ServiceProcess]) -> str:  # type: ignore[no-untyped-def]
    """SIGKILL the worker that holds wsp's booked turn once it has used one; its pid."""
    by_pid = {str(w.process.pid): w for w in workers if w.process}
    async with asyncio.timeout(90):
        while True:
            try:
                async with engine.connect() as conn:
                    holder = (
                        await conn.execute(
                            text("SELECT holder FROM census_hosts WHERE host = 'wsp'")
                        )
                    ).scalar()
                    used = (await conn.execute(text("SELECT count(*) FROM host_turns"))).scalar()
            except ProgrammingError:  # the workers have not migrated their database yet
                holder, used = None, 0
            pid = holder.split("-")[-2] if holder else None
            if pid in by_pid and used:
                by_pid[pid].kill()
                return pid
            await asyncio.sleep(0.02)
