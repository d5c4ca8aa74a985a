"""Who is really behind a request that came through reverse proxies: X-Forwarded-For and
X-Forwarded-Proto are believed only when the peer that connected is a trusted proxy (a list of
networks, e.g. WEB_TRUSTED_PROXIES), since anyone else can write them."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass

from litestar.datastructures import Headers
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(raw: str) -> tuple[Network, ...]:
    """`10.0.0.0/8, 192.168.1.7, ::1`: comma-separated addresses or networks (ValueError if not)."""
    return tuple(ipaddress.ip_network(part.strip()) for part in raw.split(",") if part.strip())


@dataclass(frozen=True)
class TrustedProxies:
    networks: tuple[Network, ...] = ()

    def trusts(self, address: str | None) -> bool:
        try:
            ip = ipaddress.ip_address((address or "").strip())
        except ValueError:
            return False
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped  # how a dual-stack socket shows an IPv4 peer
        return any(ip in network for network in self.networks)

    def client(self, peer: str | None, forwarded_for: str | None) -> str | None:
        """The client's address: the peer itself unless it is a trusted proxy; else, walking the
        X-Forwarded-For hops from the nearest, the first one not trusted (the leftmost when every
        hop is). What a client writes itself stays left of that and is never believed."""
        if not self.trusts(peer) or not forwarded_for:
            return peer
        hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
        for hop in reversed(hops):
            if not self.trusts(hop):
                return hop if _is_address(hop) else peer
        return hops[0] if hops else peer

    def scheme(self, peer: str | None, scheme: str, forwarded_proto: str | None) -> str:
        """`http` or `https` as the nearest trusted proxy says the client used; else `scheme`."""
        if not self.trusts(peer) or not forwarded_proto:
            return scheme
        said = forwarded_proto.split(",")[-1].strip().lower()
        return said if said in ("http", "https") else scheme


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def forwarded_middleware(proxies: TrustedProxies) -> Callable[[ASGIApp], ASGIApp]:
    """Litestar middleware: the request's client and scheme as the trusted proxies say."""

    def middleware(app: ASGIApp) -> ASGIApp:
        async def behind_proxies(scope: Scope, receive: Receive, send: Send) -> None:
            connected = scope.get("client")
            if connected is not None and proxies.trusts(connected[0]):
                headers = Headers.from_scope(scope)
                client = proxies.client(connected[0], headers.get("x-forwarded-for"))
                scope["client"] = (client or connected[0], connected[1])
                if scope["type"] == ScopeType.HTTP:  # a websocket's scheme is ws/wss
                    forwarded_proto = headers.get("x-forwarded-proto")
                    scope["scheme"] = proxies.scheme(connected[0], scope["scheme"], forwarded_proto)
            await app(scope, receive, send)

        return behind_proxies

    return middleware
