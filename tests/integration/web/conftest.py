"""The web app on a real PostgreSQL, with the real registration API in-process (its database of
its own, no Kafka: events wait in its outbox and `project_outbox` hands them to the projector)."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.db import make_engine
from services.common.migrations import migrate
from services.common.person_keys import PersonKeyring
from services.common.settings import KafkaSettings
from services.registration.app import create_app as create_registration_app
from services.registration.settings import RegistrationSettings
from services.web.app import create_app
from services.web.bootstrap import MIGRATIONS, web_services
from services.web.projection.opening import RecordOpener
from services.web.projection.projector import Projector
from services.web.settings import WebSettings
from tests.integration.web.support import project_outbox
from tests.support.serving import serving

TOKEN = "web-tests-service-token"


@pytest.fixture(scope="session")
def registration_db(create_database: Callable[[str], str]) -> str:
    return create_database("web_registration")


@pytest.fixture(scope="session")
async def registration(registration_db: str) -> AsyncIterator[AsyncTestClient]:
    settings = RegistrationSettings(
        database_url=registration_db,
        kafka=KafkaSettings(bootstrap_servers="127.0.0.1:9", startup_timeout_s=1),
        service_token=TOKEN,
        argon2_time_cost=1,
        argon2_memory_cost_kib=1024,
        argon2_parallelism=1,
        validation_targets_per_window=100_000,
        # Every browser of the suite comes from 127.0.0.1: its failed logins and sign-ups must not
        # add up to the per-address limits across tests (the limits have tests of their own).
        login_address_max_failures=1_000_000,
        sign_ups_per_address_hour=1_000_000,
        sign_ups_looked_up_now_per_address=1_000_000,
    )
    app = create_registration_app(settings)
    async with AsyncTestClient(app=app, base_url="http://registration.test") as client:
        client.headers["Authorization"] = f"Bearer {TOKEN}"
        yield client


@pytest.fixture(scope="session")
async def registration_engine(registration: AsyncTestClient) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(registration.app.state.services.settings.database_url, pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def web_db(create_database: Callable[[str], str]) -> str:
    return create_database("web")


def web_settings(database_url: str, **overrides: Any) -> WebSettings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "consume": False,
        "session_secret": secrets.token_urlsafe(16),
        "public_base_url": "https://censo.example.co",
        "page_size": 20,
        "stuck_after_s": 600,
        "read_your_writes_s": 0.3,
    }
    return WebSettings(**(values | overrides))


@pytest.fixture
async def web(web_db: str, registration: AsyncTestClient) -> AsyncIterator[AsyncTestClient]:
    """A browser on the web app (its own cookies), the app wired to the registration API."""
    app = create_app(web_settings(web_db), registration_http=registration)
    async with AsyncTestClient(app=app, base_url="http://web.test") as client:
        client.follow_redirects = False
        yield client


@pytest.fixture
def web_overrides() -> dict[str, Any]:
    """Settings a test module's served web app differs in (override the fixture in the module)."""
    return {}


@pytest.fixture
async def served(
    web_db: str, registration: AsyncTestClient, web_overrides: dict[str, Any]
) -> AsyncIterator[tuple[str, Any]]:
    """The web app behind a real HTTP server (streams need one) on a free port: (url, app)."""
    settings = web_settings(web_db, **{"sse_heartbeat_s": 0.5, **web_overrides})
    app = create_app(settings, registration_http=registration)
    async with serving(app, log_config=None, lifespan="on") as url:
        async with asyncio.timeout(20):
            await web_services(app.state).listener.ready.wait()
        yield url, app
        web_services(app.state).hub.close()  # ends the open streams, so the server can stop


@pytest.fixture
def served_url(served: tuple[str, Any]) -> str:
    return served[0]


@pytest.fixture(scope="session")
async def web_engine(web_db: str) -> AsyncIterator[AsyncEngine]:
    """The read model from the tests' side (the app runs in its own thread and event loop)."""
    engine = make_engine(web_db, pool_size=2)
    await migrate(engine, MIGRATIONS)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def projector(web_engine: AsyncEngine, registration: AsyncTestClient) -> Projector:
    """Opens sealed records with the keys the registration API gives, as the live one does."""
    return Projector(web_engine, RecordOpener(PersonKeyring(registration)))


@pytest.fixture
def sync(
    web: AsyncTestClient, projector: Projector, registration_engine: AsyncEngine
) -> Callable[[], Awaitable[int]]:
    """Project what the registration API has written so far into the web's read model."""
    return lambda: project_outbox(registration_engine, projector)
