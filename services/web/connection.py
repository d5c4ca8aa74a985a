"""Litestar's connection types as this app uses them: no typed user, auth or state on them
(the viewer travels as a dependency, the services come from `bootstrap`)."""

from __future__ import annotations

from typing import Any, TypeAlias

from litestar import Request
from litestar.connection import ASGIConnection

AnyConnection: TypeAlias = ASGIConnection[Any, Any, Any, Any]
AnyRequest: TypeAlias = Request[Any, Any, Any]
