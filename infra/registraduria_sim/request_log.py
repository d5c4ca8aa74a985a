"""The simulator's own record of the requests it received, for tests of the workers' politeness:
(monotonic time, wall-clock time, variant, path, method) per request, served at GET /_sim/requests
when enabled. The wall clock is the one PostgreSQL's `clock_timestamp()` reads on this machine, so
arrivals can be set beside the workers' turns as their database recorded them."""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from litestar import Request

MAX_LOGGED = 100_000


class RequestLog:
    def __init__(self, consultacenso_prefix: str) -> None:
        self._consultacenso = consultacenso_prefix.rstrip("/")
        self.entries: deque[tuple[float, float, str, str, str]] = deque(maxlen=MAX_LOGGED)

    def variant(self, path: str) -> str:
        if path.startswith(self._consultacenso):
            return "consultacenso"
        if path.startswith("/censo/"):
            return "wsp"
        return "captcha" if path.endswith(".php") else "other"

    async def record(self, request: Request[Any, Any, Any]) -> None:
        """Litestar's before_request hook: returning None lets the request through."""
        path = request.url.path
        self.entries.append(
            (time.monotonic(), time.time(), self.variant(path), path, request.method)
        )

    def as_json(self) -> list[dict[str, object]]:
        return [
            {"at": at, "wall": wall, "variant": v, "path": p, "method": m}
            for at, wall, v, p, m in self.entries
        ]
