"""The worker's Prometheus endpoint: `/metrics` over HTTP, in a thread of its own."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import structlog
from prometheus_client import start_http_server

from services.census_worker.adapters.metrics import WorkerMetrics

log = structlog.get_logger(__name__)


class MetricsEndpointUnavailable(RuntimeError):
    """The metrics port cannot be bound (taken, or not allowed)."""


@contextlib.contextmanager
def serving_metrics(metrics: WorkerMetrics, host: str, port: int) -> Iterator[int | None]:
    """Serve `metrics` on host:port while the block runs (port 0: no endpoint); yields the port."""
    if not port:
        yield None
        return
    try:
        server, thread = start_http_server(port, addr=host, registry=metrics.registry)
    except OSError as exc:
        raise MetricsEndpointUnavailable(f"cannot serve metrics on {host}:{port}: {exc}") from exc
    log.info("census.metrics_serving", host=host, port=server.server_port)
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
