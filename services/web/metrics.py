"""The web's Prometheus metrics: its HTTP requests, the live-update streams open, and how far the
projector in this process is behind Kafka."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import Gauge

from services.common.http_metrics import HttpMetrics


class WebMetrics(HttpMetrics):
    def __init__(self) -> None:
        super().__init__("web")
        self.streams = Gauge(
            "web_sse_streams_open", "Live-update streams open now.", registry=self.registry
        )
        self.projection_lag = Gauge(
            "web_projection_lag_records",
            "Records waiting on the partitions this process projects (0 when it projects none).",
            registry=self.registry,
        )

    def watch_streams(self, count: Callable[[], int]) -> None:
        """Read the open streams at scrape time."""
        self.streams.set_function(count)
