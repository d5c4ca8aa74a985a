"""X-Forwarded-For and X-Forwarded-Proto are believed from trusted proxies only, and of the
forwarded hops only the nearest one a trusted proxy did not add (uvicorn's middleware, as the web
app mounts it): what a client writes itself in the header never becomes its address."""

from __future__ import annotations

import httpx
import pytest
from litestar import Litestar, Request, get
from pydantic import ValidationError

from services.common.forwarded import forwarded_middleware, parse_networks
from services.web.settings import WebSettings

PROXIES = parse_networks("10.0.0.0/8, 2001:db8::/32")


def test_no_proxies_trusted_by_default() -> None:
    assert WebSettings().proxies == ()


def test_a_setting_that_is_not_a_network_refuses_to_start() -> None:
    with pytest.raises(ValidationError, match=r"10\.0\.0\.300"):
        WebSettings(trusted_proxies="10.0.0.0/8, 10.0.0.300")


@get("/who")
async def who(request: Request) -> dict[str, str | None]:
    return {"client": request.client.host if request.client else None, "scheme": request.url.scheme}


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "client", "scheme"),
    [
        ("203.0.113.9", "190.24.5.7", "203.0.113.9", "http"),  # not a proxy: headers ignored
        ("10.0.0.2", "190.24.5.7", "190.24.5.7", "https"),
        ("10.0.0.2", "6.6.6.6, 190.24.5.7", "190.24.5.7", "https"),  # 6.6.6.6: the client's own
        ("10.0.0.2", "190.24.5.7, 10.0.0.3", "190.24.5.7", "https"),  # two proxies of ours
        ("10.0.0.2", "10.0.0.4, 10.0.0.3", "10.0.0.4", "https"),  # every hop ours: the farthest
        ("2001:db8::1", "2800:e2:1:2::9", "2800:e2:1:2::9", "https"),
    ],
)
async def test_handlers_see_the_client_and_scheme_the_trusted_proxies_say(
    peer: str, forwarded_for: str, client: str, scheme: str
) -> None:
    app = Litestar([who], middleware=[forwarded_middleware(PROXIES)])
    transport = httpx.ASGITransport(app=app, client=(peer, 4000))
    async with httpx.AsyncClient(transport=transport, base_url="http://censo.test") as http:
        headers = {"X-Forwarded-For": forwarded_for, "X-Forwarded-Proto": "https"}
        seen = (await http.get("/who", headers=headers)).json()
    assert seen == {"client": client, "scheme": scheme}


async def test_without_trusted_proxies_nothing_is_rewritten() -> None:
    app = Litestar([who], middleware=[forwarded_middleware(())])
    transport = httpx.ASGITransport(app=app, client=("10.0.0.2", 4000))
    async with httpx.AsyncClient(transport=transport, base_url="http://censo.test") as http:
        headers = {"X-Forwarded-For": "190.24.5.7", "X-Forwarded-Proto": "https"}
        seen = (await http.get("/who", headers=headers)).json()
    assert seen == {"client": "10.0.0.2", "scheme": "http"}
