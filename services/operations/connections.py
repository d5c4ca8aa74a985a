"""What the ops commands that change the flow open: a producer, and the web read model's
database, checked first so a database out of reach fails at once with where it was looked for."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiokafka import AIOKafkaProducer
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.db import DatabaseUnavailable, make_engine
from services.common.kafka import kafka_producer, start_client
from services.common.person_keys import PersonKeyring
from services.common.settings import KafkaSettings
from services.web.adapters.registration_client import make_http_client
from services.web.settings import WebSettings


@asynccontextmanager
async def producer(settings: KafkaSettings) -> AsyncIterator[AIOKafkaProducer]:
    started = kafka_producer(settings, "ops")
    try:  # stopped even when the start fails (Kafka out of reach)
        await start_client(started, settings)
        yield started
    finally:
        await started.stop()


@asynccontextmanager
async def web_database(pool_size: int = 1) -> AsyncIterator[AsyncEngine]:
    database_url = WebSettings().database_url
    engine = make_engine(database_url, pool_size=pool_size)
    try:
        try:
            async with engine.connect():
                pass
        except (OSError, SQLAlchemyError) as exc:
            url = make_url(database_url)  # named without its password
            where = f"{url.host}:{url.port or 5432}/{url.database}"
            raise DatabaseUnavailable(f"web database at {where}: {exc}") from exc
        yield engine
    finally:
        await engine.dispose()


@asynccontextmanager
async def person_keys() -> AsyncIterator[PersonKeyring | None]:
    """The people's keys, from the registration API the web is configured with (a rebuild opens
    sealed records with them, revalidation seals its requests); None without a service token:
    then a rebuild skips (and counts) sealed records, and requests go in clear as before sealing."""
    web = WebSettings()
    token = web.registration_service_token.get_secret_value()
    if not token:
        yield None
        return
    async with make_http_client(web.registration_url, token, web.registration_timeout_s) as http:
        yield PersonKeyring(http)
