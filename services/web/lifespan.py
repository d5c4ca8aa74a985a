"""What the web process runs while it serves: the read-model engine (and its migrations), the
LISTEN fan-out of live updates, the registration API client and, when enabled, the projector."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import httpx
from faststream.kafka import KafkaBroker
from litestar import Litestar

from services.common.db import asyncpg_dsn, make_engine, wait_for_database
from services.common.kafka import prepare_kafka
from services.common.migrations import migrate
from services.web.adapters.registration_client import RegistrationClient, make_http_client
from services.web.auth.session_store import PostgresSessionStore
from services.web.entrypoints.subscribers import register_subscribers
from services.web.live.changes import ChangeReader
from services.web.live.hub import Hub
from services.web.live.listener import ChangeListener
from services.web.projection.projector import Projector
from services.web.settings import WebSettings

MIGRATIONS = Path(__file__).parent / "migrations"
Lifespan = Callable[[Litestar], AbstractAsyncContextManager[None]]


def web_lifespan(
    settings: WebSettings,
    sessions: PostgresSessionStore,
    registration_http: httpx.AsyncClient | None = None,
) -> Lifespan:
    """`registration_http` lets tests hand in a client for an in-process registration API."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        app.state.engine = engine
        sessions.bind(engine)
        hub = app.state.hub = Hub()
        http = registration_http or make_http_client(
            settings.registration_url,
            settings.registration_service_token.get_secret_value(),
            settings.registration_timeout_s,
        )
        app.state.registration = RegistrationClient(http)
        stop = asyncio.Event()
        listener_task: asyncio.Task[None] | None = None
        broker: KafkaBroker | None = None
        try:
            await wait_for_database(engine)
            if settings.migrate_on_start:
                await migrate(engine, MIGRATIONS)
            listener = ChangeListener(asyncpg_dsn(settings.database_url), ChangeReader(engine), hub)
            app.state.listener = listener
            listener_task = asyncio.create_task(listener.run(stop))
            if settings.consume:
                broker = await _start_projector(settings, engine)
            yield
        finally:
            hub.close()
            stop.set()
            if listener_task is not None:
                with contextlib.suppress(Exception):
                    await listener_task
            if broker is not None:
                await broker.stop()
            if registration_http is None:
                await http.aclose()
            await engine.dispose()

    return lifespan


async def _start_projector(settings: WebSettings, engine) -> KafkaBroker:  # type: ignore[no-untyped-def]
    await prepare_kafka(settings.kafka)
    broker = KafkaBroker(
        settings.kafka.bootstrap_servers,
        client_id=f"{settings.kafka.client_id_prefix}-web",
        enable_idempotence=True,
        acks="all",
        allow_auto_create_topics=False,
    )
    register_subscribers(broker, Projector(engine), settings.projector_group_id)
    await broker.start()
    return broker
