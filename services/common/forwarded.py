"""Who is really behind a request that came through reverse proxies: X-Forwarded-For and
X-Forwarded-Proto are believed only when the peer that connected is a trusted proxy (a list of
networks, e.g. WEB_TRUSTED_PROXIES), since anyone else can write them. The rewriting is uvicorn's
own `ProxyHeadersMiddleware` (of the forwarded hops, the nearest one no trusted proxy added); this
module only reads the setting and fits that middleware into a Litestar app."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any, cast

from litestar.types import ASGIApp
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(raw: str) -> tuple[Network, ...]:
    """`10.0.0.0/8, 192.168.1.7, ::1`: comma-separated addresses or networks (ValueError if not)."""
    return tuple(ipaddress.ip_network(part.strip()) for part in raw.split(",") if part.strip())


def forwarded_middleware(networks: tuple[Network, ...]) -> Callable[[ASGIApp], ASGIApp]:
    """Litestar middleware: the request's client and scheme as the trusted proxies say (nothing
    changes when no proxy is trusted)."""
    trusted = [str(network) for network in networks]

    def middleware(app: ASGIApp) -> ASGIApp:
        if not trusted:
            return app
        return cast(ASGIApp, ProxyHeadersMiddleware(cast(Any, app), trusted_hosts=trusted))

    return middleware
