"""The census worker's app factory: a FastStream app around its census sources, and the process.

At start the worker database is migrated (in production only checked: `censo worker migrate`
runs first) and its LISTEN connection opened (the host budget), then the capacity report
starts; SIGTERM or Ctrl-C: FastStream stops taking records and waits up to
`graceful_timeout_s` for the lookups in flight; then the budget's connections and the browser
close and the process exits 0.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

from faststream import FastStream

from services.census_worker.adapters.metrics import WorkerMetrics
from services.census_worker.adapters.tables import MIGRATIONS
from services.census_worker.adapters.turn_listener import TurnListener
from services.census_worker.bootstrap import (
    host_budget,
    open_sources_with_metrics,
    registration_http,
    wire_worker,
    worker_stores,
)
from services.census_worker.domain.model import CensusSource
from services.census_worker.lookup.settings import LookupSettings
from services.census_worker.service_layer.capacity_report import CaptchaAccount
from services.census_worker.service_layer.open_circuits import OpenCircuits
from services.census_worker.settings import WorkerSettings
from services.common.db import wait_for_database
from services.common.kafka import prepare_kafka
from services.common.migrations import migrate_or_require_current
from services.common.person_keys import PersonKeyring
from services.common.settings import KafkaSettings

MIGRATE_COMMAND = "censo worker migrate"


def create_app(
    sources: Sequence[CensusSource],
    settings: WorkerSettings | None = None,
    kafka: KafkaSettings | None = None,
    metrics: WorkerMetrics | None = None,
    captcha: CaptchaAccount | None = None,
    circuits: OpenCircuits | None = None,
) -> FastStream:
    """The worker around already-open census `sources`, one per host in order of preference
    (their lifecycle is the caller's); `captcha`: their captcha ledger for the capacity report,
    `circuits`: the open circuits their token pools follow."""
    settings = settings or WorkerSettings()
    kafka = kafka or KafkaSettings()
    budget = host_budget(settings)
    stores = worker_stores(budget)
    metrics = metrics or WorkerMetrics()
    http = registration_http(settings)
    keys = PersonKeyring(http) if http is not None else None
    worker = wire_worker(sources, settings, kafka, metrics, stores, captcha, circuits, keys)
    listener = TurnListener(settings.database_url, worker.scheduler.wake)
    reporting: list[asyncio.Task[None]] = []  # kept, so the task is neither lost nor collected

    async def prepare() -> None:
        await prepare_kafka(kafka)
        await wait_for_database(budget.engine)
        migrate_now = settings.migrates_on_start
        await migrate_or_require_current(
            budget.engine, MIGRATIONS, migrate_now=migrate_now, command=MIGRATE_COMMAND
        )
        listener.start()

    async def start_reporting() -> None:
        await worker.retries.start()
        reporting.append(asyncio.create_task(worker.reporter.run(), name="census-capacity"))
        metrics.readiness.set("consumers", "ok")

    async def stop_reporting() -> None:
        metrics.readiness.set("consumers", "stopping")
        for task in reporting:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await worker.retries.stop()

    async def stop_budget() -> None:
        await worker.scheduler.stop()
        await listener.stop()
        await budget.engine.dispose()
        if http is not None:
            await http.aclose()

    return FastStream(
        worker.broker,
        on_startup=[prepare],
        after_startup=[start_reporting],
        on_shutdown=[stop_reporting],
        after_shutdown=[stop_budget],
    )


async def run_worker(
    lookup: LookupSettings | None = None,
    settings: WorkerSettings | None = None,
    kafka: KafkaSettings | None = None,
) -> None:
    """Run the worker process until stopped: the lookup stack first, then the Kafka app."""
    settings = settings or WorkerSettings()
    metrics, circuits = WorkerMetrics(), OpenCircuits()
    lookup = lookup or LookupSettings()
    async with open_sources_with_metrics(lookup, settings, metrics, circuits=circuits) as opened:
        app = create_app(opened.sources, settings, kafka, metrics, opened.captcha, circuits)
        await app.run()
