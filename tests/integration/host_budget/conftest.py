"""A fresh worker database (migrated) per test, stores of the host budget on it, and a deployment
(the simulator and the settings worker processes share) for the process tests."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from services.census_worker.adapters.host_budget import BudgetRules, HostBudget
from services.census_worker.adapters.tables import MIGRATIONS
from services.common.db import make_engine
from services.common.migrations import migrate
from tests.integration.host_budget.workers import deployment_env
from tests.support.infra import free_port
from tests.support.kafka import start_group_at_end, worker_groups, worker_topics
from tests.support.processes import ServiceProcess

MakeBudget = Callable[..., HostBudget]


@pytest.fixture
async def worker_db(create_database: Callable[[str], str]) -> str:
    url = create_database("census_worker")
    engine = make_engine(url, pool_size=2)
    await migrate(engine, MIGRATIONS)
    await engine.dispose()
    return url


@pytest.fixture
async def make_budget(worker_db: str) -> AsyncIterator[MakeBudget]:
    """`make_budget("w1", interval_s=1.0, ...)`: a store on its own engine, as another process."""
    engines: list[AsyncEngine] = []

    def make(worker: str, **rules: float) -> HostBudget:
        engine = make_engine(worker_db, pool_size=2)
        engines.append(engine)
        return HostBudget(engine, worker, BudgetRules(**{"interval_s": 1.0, **rules}))

    yield make
    for engine in engines:
        await engine.dispose()


@pytest.fixture
async def deployment(
    kafka_bootstrap: str, tmp_path: Path, create_database: Callable[[str], str]
) -> AsyncIterator[dict[str, str]]:
    """The workers' settings (a new consumer group, a new database) and the simulator they use."""
    port, group = free_port(), f"worker-{secrets.token_hex(4)}"
    for name in worker_groups(group):
        await start_group_at_end(kafka_bootstrap, name, worker_topics())
    env = deployment_env(kafka_bootstrap, port, group, create_database("census_worker"))
    simulator = ServiceProcess("simulator", ["infra", "simulator"], env, tmp_path).start()
    simulator.wait_http(f"http://127.0.0.1:{port}/in.php")
    yield env
    simulator.stop()
