"""The worker's operations endpoint: `/metrics`, `/health/live` and `/health/ready` (ready once its
consumers run) over HTTP, in a thread of its own (`services/common/ops_http.py`)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from services.census_worker.adapters.metrics import WorkerMetrics
from services.common.ops_http import OpsEndpointUnavailable, serving_ops

MetricsEndpointUnavailable = OpsEndpointUnavailable  # the name the worker's CLI knows


@contextlib.contextmanager
def serving_metrics(metrics: WorkerMetrics, host: str, port: int) -> Iterator[int | None]:
    """Serve `metrics` on host:port while the block runs (port 0: no endpoint); yields the port."""
    with serving_ops(metrics.registry, metrics.readiness, host, port, "census-worker") as serving:
        yield serving
