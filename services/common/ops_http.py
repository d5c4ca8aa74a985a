"""The operations endpoint of a process without an HTTP API of its own (census worker, outbox
relay): `/metrics` (Prometheus), `/health/live` and `/health/ready`, served by a thread of its own
on a port of its own (0: none). Several processes on one host need one port each, or 0."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterable, Iterator
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from wsgiref.types import StartResponse, WSGIEnvironment

import structlog
from prometheus_client import CollectorRegistry, make_wsgi_app

log = structlog.get_logger(__name__)
READY = "ok"


class OpsEndpointUnavailable(RuntimeError):
    """The endpoint's port cannot be bound (taken, or not allowed)."""


class Readiness:
    """What the process says about itself as it starts, runs and stops, one state per part
    (`ok` when it can do its work); read by the endpoint's thread, written by the process."""

    def __init__(self, **states: str) -> None:
        self._states = dict(states)
        self._lock = threading.Lock()

    def set(self, part: str, state: str) -> None:
        with self._lock:
            self._states[part] = state

    def report(self) -> tuple[bool, dict[str, str]]:
        with self._lock:
            states = dict(self._states)
        return bool(states) and all(state == READY for state in states.values()), states


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Scrapes and probes every few seconds: not worth a log line each."""


def ops_app(registry: CollectorRegistry, readiness: Readiness) -> Any:
    metrics = make_wsgi_app(registry)

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/health/live":
            return _json(start_response, "200 OK", {"status": "ok"})
        if path == "/health/ready":
            ok, states = readiness.report()
            status = "200 OK" if ok else "503 Service Unavailable"
            return _json(start_response, status, {"status": "ready" if ok else "unready", **states})
        if path == "/metrics":
            return metrics(environ, start_response)  # type: ignore[no-any-return]  # untyped WSGI app
        return _json(start_response, "404 Not Found", {"status": "not found"})

    return app


def _json(start_response: StartResponse, status: str, body: dict[str, str]) -> list[bytes]:
    start_response(status, [("Content-Type", "application/json")])
    return [json.dumps(body).encode()]


@contextlib.contextmanager
def serving_ops(
    registry: CollectorRegistry, readiness: Readiness, host: str, port: int, process: str
) -> Iterator[int | None]:
    """Serve the endpoint on host:port while the block runs (port 0: none); yields the port."""
    if not port:
        yield None
        return
    try:
        server = make_server(
            host, port, ops_app(registry, readiness), _Server, handler_class=_QuietHandler
        )
    except OSError as exc:
        raise OpsEndpointUnavailable(
            f"cannot serve {process} metrics and health on {host}:{port}: {exc} "
            "(each process on a host needs a port of its own, or 0)"
        ) from exc
    thread = threading.Thread(target=server.serve_forever, name=f"{process}-ops", daemon=True)
    thread.start()
    log.info("ops_endpoint.serving", process=process, host=host, port=server.server_port)
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
