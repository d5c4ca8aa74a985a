"""Runs the census worker process: the lookup stack, metrics, then the Kafka app around it.

SIGTERM or Ctrl-C: FastStream stops taking records and waits up to `graceful_timeout_s` for the
lookups in flight; then the browser closes and the process exits 0.
"""

from __future__ import annotations

from services.census_worker.adapters.metrics import WorkerMetrics
from services.census_worker.app import create_app
from services.census_worker.lookup.factory import open_lookup_stack
from services.census_worker.settings import LookupSettings, WorkerSettings
from services.common.settings import KafkaSettings


async def run_worker(
    lookup: LookupSettings | None = None,
    worker: WorkerSettings | None = None,
    kafka: KafkaSettings | None = None,
) -> None:
    worker = worker or WorkerSettings()
    metrics = WorkerMetrics()
    async with open_lookup_stack(lookup or LookupSettings()) as stack:
        pool = stack.token_pool
        metrics.watch(lambda: stack.browser.launches, lambda: pool.ready if pool else 0)
        server = (
            metrics.serve(worker.metrics_host, worker.metrics_port) if worker.metrics_port else None
        )
        try:
            await create_app(stack.source, worker, kafka, metrics).run()
        finally:
            if server is not None:
                server.shutdown()
