"""Fixtures of the operator suite."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.db import make_engine
from services.common.migrations import migrate
from services.web.projection.rebuild import WEB_MIGRATIONS


@pytest.fixture
async def web_db(create_database: Callable[[str], str]) -> AsyncIterator[tuple[str, AsyncEngine]]:
    """A fresh, migrated web database: its URL and an engine on it."""
    url = create_database("web")
    engine = make_engine(url, pool_size=2)
    await migrate(engine, WEB_MIGRATIONS)
    yield url, engine
    await engine.dispose()
