"""Three real `censo worker run` processes share one budget per census host: the simulator's own
record of every lookup's first request shows no two lookups of one host closer than the
interval, with one host, with two in rotation, and when a worker holding a turn is SIGKILLed."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from schemas import topics
from schemas.envelope import encode_event
from services.common.db import make_engine
from tests.integration.host_budget.workers import INTERVAL_S, cedulas, start_workers
from tests.support.events import user_registered
from tests.support.kafka import publish
from tests.support.kafka_wait import watching
from tests.support.processes import ServiceProcess

PAGES = {"wsp": "/censo/consultar", "consultacenso": "/consultacenso"}  # as routed: no slash


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
                    used = (
                        await conn.execute(
                            text("SELECT count(*) FROM host_turns WHERE worker = :holder"),
                            {"holder": holder},
                        )
                    ).scalar()
            except ProgrammingError:  # the workers have not migrated their database yet
                holder, used = None, 0
            pid = holder.split("-")[-2] if holder else None
            if pid in by_pid and used:
                by_pid[pid].kill()
                return pid
            await asyncio.sleep(0.02)
