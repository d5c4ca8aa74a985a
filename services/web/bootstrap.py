"""Composition root of the web service: `WebServices`, what the handlers are given (`Provide`, in
`entrypoints/dependencies.py`), built from the settings at start-up; and what runs alongside the
pages while they serve: the read-model engine (and its migrations), the LISTEN fan-out of live
updates, the registration API client and, when enabled, the projector."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
from faststream.kafka import KafkaBroker
from litestar import Litestar
from litestar.datastructures import State
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.db import asyncpg_dsn, make_engine, wait_for_database
from services.common.kafka import kafka_broker, prepare_kafka
from services.common.log_context import EnvelopeLogContext
from services.common.logging import faststream_logger
from services.common.migrations import migrate_or_require_current
from services.common.person_keys import PersonKeyring
from services.web.adapters.event_flow import EventFlow
from services.web.adapters.flow_sampler import FlowSampler
from services.web.adapters.projector_watch import ProjectorWatch
from services.web.adapters.registration_client import RegistrationClient, make_http_client
from services.web.auth.session_store import PostgresSessionStore
from services.web.clock import Clock
from services.web.entrypoints.subscribers import register_subscribers
from services.web.live.changes import ChangeReader
from services.web.live.full_collections import collect_fully_on_growth
from services.web.live.hub import Hub
from services.web.live.keepalive import keep_streams_alive
from services.web.live.listener import ChangeListener
from services.web.live.subscriptions import StreamLimits
from services.web.metrics import WebMetrics
from services.web.projection.opening import RecordOpener
from services.web.projection.projector import Projector
from services.web.settings import WebSettings

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATE_COMMAND = "censo web migrate"
STATE_KEY = "web_services"
Lifespan = Callable[[Litestar], AbstractAsyncContextManager[None]]


@dataclass(frozen=True)
class WebServices:
    settings: WebSettings
    engine: AsyncEngine
    hub: Hub
    listener: ChangeListener
    registration: RegistrationClient
    event_flow: EventFlow
    clock: Clock
    sessions: PostgresSessionStore
    metrics: WebMetrics
    projector: ProjectorWatch | None  # None: this process does not project (WEB_CONSUME=false)


def web_services(state: State) -> WebServices:
    """The services of a started app. Handlers get them as dependencies; this is the one way in
    for what cannot take any: guards, exception handlers, the server's shutdown."""
    services = state.get(STATE_KEY)
    if not isinstance(services, WebServices):
        raise LookupError("the web services exist while the app's lifespan runs")
    return services


def web_lifespan(
    settings: WebSettings,
    sessions: PostgresSessionStore,
    metrics: WebMetrics,
    registration_http: httpx.AsyncClient | None = None,
) -> Lifespan:
    """`registration_http` lets tests hand in a client for an in-process registration API."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        async with running_services(settings, sessions, metrics, registration_http) as services:
            app.state[STATE_KEY] = services
            yield

    return lifespan


@asynccontextmanager
async def running_services(
    settings: WebSettings,
    sessions: PostgresSessionStore,
    metrics: WebMetrics,
    registration_http: httpx.AsyncClient | None,
) -> AsyncIterator[WebServices]:
    engine = make_engine(settings.database_url)
    sessions.bind(engine)
    hub = Hub(limits=stream_limits(settings))
    metrics.watch_streams(lambda: hub.streams)
    watch = ProjectorWatch() if settings.consume else None
    listener = ChangeListener(asyncpg_dsn(settings.database_url), ChangeReader(engine), hub)
    http = registration_http or make_http_client(
        settings.registration_url,
        settings.registration_service_token.get_secret_value(),
        settings.registration_timeout_s,
    )
    stop = asyncio.Event()
    event_flow = EventFlow(settings.kafka)
    listener_task: asyncio.Task[None] | None = None
    keepalive_task: asyncio.Task[None] | None = None
    collector_task: asyncio.Task[None] | None = None
    sampler_task: asyncio.Task[None] | None = None
    broker: KafkaBroker | None = None
    try:
        await wait_for_database(engine)
        await migrate_or_require_current(
            engine, MIGRATIONS, migrate_now=settings.migrates_on_start, command=MIGRATE_COMMAND
        )
        listener_task = asyncio.create_task(listener.run(stop))
        keepalive_task = asyncio.create_task(
            keep_streams_alive(hub, settings.sse_heartbeat_s, stop)
        )
        collector_task = asyncio.create_task(collect_fully_on_growth(settings.gc_full_growth, stop))
        if watch is not None:
            broker = await _start_projector(settings, engine, watch, PersonKeyring(http))
            sampler = FlowSampler(engine, event_flow, settings.census_worker_group_id)
            sampler_task = asyncio.create_task(sampler.run(stop))
        yield WebServices(
            settings=settings,
            engine=engine,
            hub=hub,
            listener=listener,
            registration=RegistrationClient(http),
            event_flow=event_flow,
            clock=Clock(stuck_after=timedelta(seconds=settings.stuck_after_s)),
            sessions=sessions,
            metrics=metrics,
            projector=watch,
        )
    finally:
        hub.close()
        stop.set()
        for task in (listener_task, keepalive_task, collector_task, sampler_task):
            if task is not None:
                with contextlib.suppress(Exception):
                    await task
        if broker is not None:
            await broker.stop()
        if registration_http is None:
            await http.aclose()
        await engine.dispose()


def stream_limits(settings: WebSettings) -> StreamLimits:
    return StreamLimits(
        per_session=settings.sse_streams_per_session,
        per_user=settings.sse_streams_per_user,
        per_process=settings.sse_streams_per_process,
    )


async def _start_projector(
    settings: WebSettings, engine: AsyncEngine, watch: ProjectorWatch, keys: PersonKeyring
) -> KafkaBroker:
    await prepare_kafka(settings.kafka)
    broker = kafka_broker(
        settings.kafka,
        "web",
        logger=faststream_logger(),
        middlewares=(EnvelopeLogContext,),
    )
    projector = Projector(engine, RecordOpener(keys))
    register_subscribers(broker, projector, settings.projector_group_id, watch=watch)
    watch.watch(broker)
    await broker.start()
    return broker
