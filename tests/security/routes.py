"""The routes an app actually serves, read from the app itself, so a route added tomorrow is in
every generated test without anyone listing it."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from litestar import Litestar

_PARAM = re.compile(r"\{(\w+):(\w+)\}")
# What fills a path parameter of each type when the test has no object of its own to name.
_FILLERS = defaultdict(lambda: "x", {"int": "1", "path": "app.css"})


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: str
    operation_id: str | None = None

    @property
    def takes_user_id(self) -> bool:
        return any(kind == "uuid" for _, kind in _PARAM.findall(self.path))

    @property
    def changes_state(self) -> bool:
        return self.method not in ("GET", "HEAD", "OPTIONS")

    def url(self, user_id: str) -> str:
        """The path with `user_id` in every UUID parameter and a plain value in the others."""
        return _PARAM.sub(
            lambda m: user_id if m[2] == "uuid" else _FILLERS.get(m[2], "x"), self.path
        )

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def http_routes(app: Litestar) -> list[Route]:
    """Every (handler, method, path) of the app, without the OPTIONS answers Litestar adds."""
    found = {
        Route(handler.name or "", method, route.path, getattr(handler, "operation_id", None))
        for route in app.routes
        for handler in route.route_handlers
        for method in getattr(handler, "http_methods", ())
        if method != "OPTIONS"
    }
    return sorted(found, key=lambda r: (r.path, r.method))
