"""Registration API and relay on the session's real PostgreSQL and Kafka."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.db import make_engine
from services.common.migrations import migrate
from services.common.settings import KafkaSettings
from services.registration.app import create_app
from services.registration.bootstrap import make_relay
from services.registration.migrations import MIGRATIONS
from services.registration.settings import RegistrationSettings
from tests.integration.registration.support import TOKEN

UNREACHABLE_KAFKA = "127.0.0.1:9"


def make_settings(
    database_url: str, bootstrap: str = UNREACHABLE_KAFKA, **overrides: Any
) -> RegistrationSettings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "kafka": KafkaSettings(bootstrap_servers=bootstrap, startup_timeout_s=5),
        "service_token": TOKEN,
        "argon2_time_cost": 1,
        "argon2_memory_cost_kib": 1024,
        "argon2_parallelism": 1,
        "outbox_poll_interval_s": 0.5,
        "outbox_retry_initial_s": 0.1,
        "outbox_retry_max_s": 1.0,
        "outbox_standby_poll_s": 0.2,
    }
    return RegistrationSettings(**(values | overrides))


async def open_client(settings: RegistrationSettings) -> AsyncTestClient:
    client = AsyncTestClient(app=create_app(settings), base_url="http://registration.local")
    client.headers["Authorization"] = f"Bearer {TOKEN}"
    return client


@pytest.fixture(scope="session")
def registration_db(create_database: Callable[[str], str]) -> str:
    """One database for the API tests; each test uses its own random cédulas."""
    return create_database("registration")


@pytest.fixture(scope="session")
async def api(registration_db: str) -> AsyncIterator[AsyncTestClient]:
    """The API without Kafka (it never needs it: events wait in the outbox)."""
    async with await open_client(make_settings(registration_db)) as client:
        yield client


@pytest.fixture
async def fresh_db(create_database: Callable[[str], str]) -> str:
    """A migrated database of its own, for tests that count every outbox row."""
    url = create_database("registration_relay")
    engine = make_engine(url, pool_size=2)
    try:
        await migrate(engine, MIGRATIONS)
    finally:
        await engine.dispose()
    return url


class RunningRelay:
    def __init__(self, settings: RegistrationSettings) -> None:
        self.engine = make_engine(settings.database_url, pool_size=2)
        self.relay = make_relay(settings, self.engine)
        self.stop = asyncio.Event()
        self.task = asyncio.create_task(self.relay.run(self.stop))

    async def close(self) -> None:
        self.stop.set()
        await asyncio.wait_for(self.task, 60)
        await self.engine.dispose()


@pytest.fixture
async def start_relay() -> AsyncIterator[Callable[[RegistrationSettings], RunningRelay]]:
    relays: list[RunningRelay] = []

    def start(settings: RegistrationSettings) -> RunningRelay:
        relays.append(RunningRelay(settings))
        return relays[-1]

    yield start
    for relay in relays:
        await relay.close()


@pytest.fixture(scope="session")
async def db(registration_db: str, api: AsyncTestClient) -> AsyncIterator[AsyncEngine]:
    """The API's database (migrated by the API at start-up), for checking what was written."""
    engine = make_engine(registration_db, pool_size=2)
    yield engine
    await engine.dispose()
