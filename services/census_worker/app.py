"""The census worker's app factory: a FastStream app around a census source, and the process.

SIGTERM or Ctrl-C: FastStream stops taking records and waits up to `graceful_timeout_s` for the
lookups in flight; then the browser closes and the process exits 0.
"""

from __future__ import annotations

from faststream import FastStream

from services.census_worker.adapters.metrics import WorkerMetrics
from services.census_worker.bootstrap import open_source_with_metrics, wire_worker
from services.census_worker.domain.model import CensusSource
from services.census_worker.settings import LookupSettings, WorkerSettings
from services.common.kafka import prepare_kafka
from services.common.settings import KafkaSettings


def create_app(
    source: CensusSource,
    settings: WorkerSettings | None = None,
    kafka: KafkaSettings | None = None,
    metrics: WorkerMetrics | None = None,
) -> FastStream:
    """The worker around an already-open census `source` (its lifecycle is the caller's)."""
    settings = settings or WorkerSettings()
    kafka = kafka or KafkaSettings()
    worker = wire_worker(source, settings, kafka, metrics or WorkerMetrics())

    async def wait_for_kafka() -> None:
        await prepare_kafka(kafka)

    return FastStream(
        worker.broker,
        on_startup=[wait_for_kafka],
        after_startup=[worker.retries.start],
        on_shutdown=[worker.retries.stop],
    )


async def run_worker(
    lookup: LookupSettings | None = None,
    settings: WorkerSettings | None = None,
    kafka: KafkaSettings | None = None,
) -> None:
    """Run the worker process until stopped: the lookup stack first, then the Kafka app."""
    settings = settings or WorkerSettings()
    metrics = WorkerMetrics()
    async with open_source_with_metrics(lookup or LookupSettings(), settings, metrics) as source:
        await create_app(source, settings, kafka, metrics).run()
