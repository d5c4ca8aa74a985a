"""Composition root of the web service: Litestar app, read-model engine and the projector."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from faststream.kafka import KafkaBroker
from litestar import Litestar, get

from services.common.db import make_engine, wait_for_database
from services.common.kafka import prepare_kafka
from services.common.migrations import upgrade_to_head
from services.web.entrypoints.api import CensusApi
from services.web.entrypoints.subscribers import register_subscribers
from services.web.projection.projector import Projector
from services.web.settings import WebSettings

MIGRATIONS = Path(__file__).parent / "migrations"


@get("/health", operation_id="health", exclude_from_auth=True)
async def health() -> dict[str, str]:
    return {"status": "ok"}


def create_app(settings: WebSettings | None = None) -> Litestar:
    settings = settings or WebSettings()

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        app.state.engine = engine
        broker: KafkaBroker | None = None
        try:
            await wait_for_database(engine)
            if settings.migrate_on_start:
                await upgrade_to_head(engine, MIGRATIONS)
            if settings.consume:
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
            yield
        finally:
            if broker is not None:
                await broker.stop()
            await engine.dispose()

    app = Litestar(route_handlers=[health, CensusApi], lifespan=[lifespan])
    app.state.settings = settings
    return app
