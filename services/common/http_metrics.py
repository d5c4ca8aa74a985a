"""Prometheus metrics of an HTTP service (web, registration API), on a registry of its own: requests
by route template, method and status, and their duration; an ASGI middleware counts them and
`exposition` renders the registry for the service's `/metrics` route."""

from __future__ import annotations

import time

from litestar import Response
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest

DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
UNMATCHED = "unmatched"  # no route template (a path no route answers)


class HttpMetrics:
    """One per app: tests build many apps in one process, so nothing goes on the global registry."""

    def __init__(self, prefix: str) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            f"{prefix}_http_requests",
            "HTTP requests answered, by route template, method and status.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.duration = Histogram(
            f"{prefix}_http_request_duration_seconds",
            "Time to answer an HTTP request (a live-update stream: how long it stayed open).",
            ["route"],
            buckets=DURATION_BUCKETS,
            registry=self.registry,
        )

    def middleware(self, app: ASGIApp) -> ASGIApp:
        """Litestar middleware (runs after routing: the scope names the route's template)."""

        async def counted(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == ScopeType.WEBSOCKET:
                await app(scope, receive, send)
                return
            status, started = 500, time.monotonic()

            async def sending(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                await send(message)

            route = scope.get("path_template") or UNMATCHED
            try:
                await app(scope, receive, sending)
            finally:
                self.requests.labels(route, scope["method"], str(status)).inc()
                self.duration.labels(route).observe(time.monotonic() - started)

        return counted


def exposition(registry: CollectorRegistry) -> Response[bytes]:
    """The registry in Prometheus' text format."""
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
