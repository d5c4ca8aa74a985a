"""A fresh worker database (migrated) per test, and stores of the host budget on it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from services.census_worker.adapters.budget_tables import MIGRATIONS
from services.census_worker.adapters.host_budget import BudgetRules, HostBudget
from services.common.db import make_engine
from services.common.migrations import migrate

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
