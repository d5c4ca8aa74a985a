"""Registration API: requests per second and p99 of POST /api/users at saturation, against the
same endpoint with the outbox write removed (bench/registration_server.py).

Each variant is the real API process (uvicorn, as `censo registration serve` runs it) on its own
fresh database in one throw-away PostgreSQL; a closed-loop httpx client keeps a fixed number of
connections busy. Passwords are hashed with argon2id at t=1, m=64 KiB, p=1 so that hashing does
not hide the database work being compared. Rounds alternate between the variants so that the
machine's changing load falls on both.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import secrets
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from bench.cpu import tree_cpu_s
from bench.infra import clean_env, new_database, scratch_dir, serving
from bench.load import Load, closed_loop
from bench.registration_figures import BASELINE, PARTS, SHIPPED, Variant, figures
from bench.report import BenchmarkResult, progress
from infra.local.postgres import PostgresCluster
from tests.support.infra import free_port, running_postgres

NAME = "registration_api"
CHEAP_ARGON2 = {"ARGON2_TIME_COST": "1", "ARGON2_MEMORY_COST_KIB": "64", "ARGON2_PARALLELISM": "1"}


@dataclass(frozen=True)
class Plan:
    connections: int
    rounds: int
    round_s: float
    warmup_s: float


FULL = Plan(connections=16, rounds=3, round_s=15.0, warmup_s=3.0)
SMOKE = Plan(connections=8, rounds=1, round_s=2.0, warmup_s=0.5)


def run(smoke: bool) -> BenchmarkResult:
    plan = SMOKE if smoke else FULL
    token = secrets.token_urlsafe(24)
    with ExitStack() as stack:
        workdir = stack.enter_context(scratch_dir("censo-bench-registration-"))
        pg = stack.enter_context(running_postgres(workdir))
        variants = [
            _start(stack, workdir, pg, token, BASELINE, ["--without-outbox"]),
            _start(stack, workdir, pg, token, SHIPPED, []),
        ]
        asyncio.run(_measure(variants, plan, token, _postmaster_pid(pg)))
    return figures(NAME, variants, plan.connections)


def _start(
    servers: ExitStack, workdir: Path, pg: PostgresCluster, token: str, name: str, flags: list[str]
) -> Variant:
    database = "bench_" + ("no_outbox" if flags else "outbox")
    url, port = new_database(pg, database), free_port()
    settings = {"DATABASE_URL": url, "PORT": str(port), "SERVICE_TOKEN": token, **CHEAP_ARGON2}
    env = clean_env(
        ("REGISTRATION_", "LOG_", "KAFKA_"), {f"REGISTRATION_{k}": v for k, v in settings.items()}
    )
    args = ["-m", "bench.registration_server", *flags]
    server = servers.enter_context(serving(args, env, workdir / f"{database}.log", port))
    return Variant(name, server, url)


def _postmaster_pid(pg: PostgresCluster) -> int:
    return int((pg.data_dir / "postmaster.pid").read_text().split()[0])


def _body(n: int) -> dict[str, object]:
    return {
        "cedula": str(1_000_000_000 + n),
        "nombre": "Ana María Pérez",
        "telefono": "3001234567",
        "password": "Girasol-2026",
        "data_policy_accepted": True,
    }


async def _measure(variants: list[Variant], plan: Plan, token: str, postmaster: int) -> None:
    auth = {"authorization": f"Bearer {token}"}
    load = Load(_body, itertools.count(), plan.connections, auth, ok_status=201)
    for variant in variants:
        await closed_loop(f"{variant.server.url}/api/users", load, plan.warmup_s)
    for round_ in range(plan.rounds):
        for variant in variants if round_ % 2 == 0 else variants[::-1]:  # A B, B A, A B, …
            before = _cpu_now(variant, postmaster)
            variant.load.add(
                await closed_loop(f"{variant.server.url}/api/users", load, plan.round_s)
            )
            after = _cpu_now(variant, postmaster)
            for part in PARTS:
                variant.cpu_s[part] += after[part] - before[part]
    for variant in variants:
        variant.rows = await _count_rows(variant.database_url)
        progress(f"{variant.name}: {variant.load.rate:.0f} requests/s, {variant.load.ok} answered")


def _cpu_now(variant: Variant, postmaster: int) -> dict[str, float]:
    """CPU seconds so far of the API process, PostgreSQL and this process (the load generator)."""
    own = os.times()
    return {
        "server": tree_cpu_s(variant.server.process.pid),
        "postgres": tree_cpu_s(postmaster),
        "client": own.user + own.system,
    }


async def _count_rows(url: str) -> dict[str, int]:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        users = await conn.fetchval("SELECT count(*) FROM users")
        outbox = await conn.fetchval("SELECT count(*) FROM outbox")
    finally:
        await conn.close()
    return {"users": users, "outbox": outbox}
