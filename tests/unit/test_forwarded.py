"""X-Forwarded-For and X-Forwarded-Proto are believed from trusted proxies only, and of the
forwarded hops only the nearest one a trusted proxy did not add: what a client writes itself in
the header never becomes its address."""

from __future__ import annotations

import httpx
import pytest
from litestar import Litestar, Request, get
from pydantic import ValidationError

from services.common.forwarded import TrustedProxies, forwarded_middleware, parse_networks
from services.web.settings import WebSettings

PROXIES = TrustedProxies(parse_networks("10.0.0.0/8, 2001:db8::/32"))


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "client"),
    [
        ("203.0.113.9", "190.24.5.7", "203.0.113.9"),  # not a proxy: the header is ignored
        ("10.0.0.2", "190.24.5.7", "190.24.5.7"),
        ("10.0.0.2", "6.6.6.6, 190.24.5.7", "190.24.5.7"),  # the client wrote 6.6.6.6 itself
        ("10.0.0.2", "190.24.5.7, 10.0.0.3", "190.24.5.7"),  # two proxies of ours
        ("10.0.0.2", "10.0.0.4, 10.0.0.3", "10.0.0.4"),  # every hop ours: the farthest
        ("10.0.0.2", "not-an-address", "10.0.0.2"),
        ("10.0.0.2", None, "10.0.0.2"),
        ("::ffff:10.0.0.2", "190.24.5.7", "190.24.5.7"),  # a dual-stack socket's IPv4 peer
        ("2001:db8::1", "2800:e2:1:2::9", "2800:e2:1:2::9"),
    ],
)
def test_the_client_is_the_nearest_hop_no_trusted_proxy_added(
    peer: str, forwarded_for: str | None, client: str
) -> None:
    assert PROXIES.client(peer, forwarded_for) == client


@pytest.mark.parametrize(
    ("peer", "forwarded_proto", "scheme"),
    [
        ("10.0.0.2", "https", "https"),
        ("10.0.0.2", "http, https", "https"),  # the nearest proxy's word
        ("10.0.0.2", "gopher", "http"),
        ("203.0.113.9", "https", "http"),
    ],
)
def test_the_scheme_comes_from_a_trusted_proxy_only(
    peer: str, forwarded_proto: str, scheme: str
) -> None:
    assert PROXIES.scheme(peer, "http", forwarded_proto) == scheme


def test_no_proxies_trusted_by_default() -> None:
    assert WebSettings().proxies == TrustedProxies()
    assert TrustedProxies().client("10.0.0.2", "190.24.5.7") == "10.0.0.2"


def test_a_setting_that_is_not_a_network_refuses_to_start() -> None:
    with pytest.raises(ValidationError, match=r"10\.0\.0\.300"):
        WebSettings(trusted_proxies="10.0.0.0/8, 10.0.0.300")


@get("/who")
async def who(request: Request) -> dict[str, str | None]:
    return {"client": request.client.host if request.client else None, "scheme": request.url.scheme}


@pytest.mark.parametrize(
    ("peer", "expected"),
    [
        ("10.0.0.2", {"client": "190.24.5.7", "scheme": "https"}),
        ("203.0.113.9", {"client": "203.0.113.9", "scheme": "http"}),
    ],
)
async def test_the_middleware_gives_handlers_the_real_client_and_scheme(
    peer: str, expected: dict[str, str]
) -> None:
    app = Litestar([who], middleware=[forwarded_middleware(PROXIES)])
    transport = httpx.ASGITransport(app=app, client=(peer, 4000))
    async with httpx.AsyncClient(transport=transport, base_url="http://censo.test") as client:
        headers = {"X-Forwarded-For": "6.6.6.6, 190.24.5.7", "X-Forwarded-Proto": "https"}
        assert (await client.get("/who", headers=headers)).json() == expected
