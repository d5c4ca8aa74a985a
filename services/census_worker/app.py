"""The census worker's app factory: a FastStream app around its census sources, and the process.

At start the worker database is migrated and its LISTEN connection opened (the host budget);
SIGTERM or Ctrl-C: FastStream stops taking records and waits up to `graceful_timeout_s` for the
lookups in flight; then the budget's connections and the browser close and the process exits 0.
"""

from __future__ import annotations

from collections.abc import Sequence

from faststream import FastStream

from services.census_worker.adapters.answer_store import PostgresAnswers
from services.census_worker.adapters.metrics import WorkerMetrics
from services.census_worker.adapters.tables import MIGRATIONS
from services.census_worker.adapters.turn_listener import TurnListener
from services.census_worker.bootstrap import host_budget, open_sources_with_metrics, wire_worker
from services.census_worker.domain.model import CensusSource
from services.census_worker.settings import LookupSettings, WorkerSettings
from services.common.db import wait_for_database
from services.common.kafka import prepare_kafka
from services.common.migrations import migrate
from services.common.settings import KafkaSettings


def create_app(
    sources: Sequence[CensusSource],
    settings: WorkerSettings | None = None,
    kafka: KafkaSettings | None = None,
    metrics: WorkerMetrics | None = None,
) -> FastStream:
    """The worker around already-open census `sources`, one per host in order of preference
    (their lifecycle is the caller's)."""
    settings = settings or WorkerSettings()
    kafka = kafka or KafkaSettings()
    budget = host_budget(settings)
    answers = PostgresAnswers(budget.engine)  # the same worker database and connection pool
    worker = wire_worker(sources, settings, kafka, metrics or WorkerMetrics(), budget, answers)
    listener = TurnListener(settings.database_url, worker.scheduler.wake)

    async def prepare() -> None:
        await prepare_kafka(kafka)
        await wait_for_database(budget.engine)
        if settings.migrate_on_start:
            await migrate(budget.engine, MIGRATIONS)
        listener.start()

    async def stop_budget() -> None:
        await worker.scheduler.stop()
        await listener.stop()
        await budget.engine.dispose()

    return FastStream(
        worker.broker,
        on_startup=[prepare],
        after_startup=[worker.retries.start],
        on_shutdown=[worker.retries.stop],
        after_shutdown=[stop_budget],
    )


async def run_worker(
    lookup: LookupSettings | None = None,
    settings: WorkerSettings | None = None,
    kafka: KafkaSettings | None = None,
) -> None:
    """Run the worker process until stopped: the lookup stack first, then the Kafka app."""
    settings = settings or WorkerSettings()
    metrics = WorkerMetrics()
    async with open_sources_with_metrics(lookup or LookupSettings(), settings, metrics) as sources:
        await create_app(sources, settings, kafka, metrics).run()
