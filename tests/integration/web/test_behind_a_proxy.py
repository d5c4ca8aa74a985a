"""The web behind a reverse proxy (WEB_TRUSTED_PROXIES): the address it passes on to the
registration API, which the login and sign-up limits count by, is the client's as the trusted
proxy forwarded it, and never what an untrusted peer wrote in X-Forwarded-For."""

from __future__ import annotations

import httpx
import pytest
from litestar.testing import AsyncTestClient

from services.common.client_address import CLIENT_ADDRESS_HEADER
from services.web.app import create_app
from tests.integration.web.conftest import web_settings
from tests.integration.web.support import csrf_from

FORWARDED = {"X-Forwarded-For": "6.6.6.6, 190.24.5.7", "X-Forwarded-Proto": "https"}


@pytest.mark.parametrize(
    ("peer", "passed_on"), [("10.0.0.2", "190.24.5.7"), ("203.0.113.9", "203.0.113.9")]
)
async def test_the_address_passed_to_registration_is_the_one_the_trusted_proxy_saw(
    web_db: str, registration: AsyncTestClient, peer: str, passed_on: str
) -> None:
    seen: list[str | None] = []

    async def record(request: httpx.Request) -> None:
        if request.url.path == "/api/sessions/verify":
            seen.append(request.headers.get(CLIENT_ADDRESS_HEADER))

    app = create_app(
        web_settings(web_db, trusted_proxies="10.0.0.0/8"), registration_http=registration
    )
    registration.event_hooks["request"].append(record)
    try:
        async with AsyncTestClient(app=app):  # runs the lifespan; requests come from `peer`
            transport = httpx.ASGITransport(app=app, client=(peer, 4000))
            async with httpx.AsyncClient(transport=transport, base_url="http://web.test") as web:
                token = csrf_from((await web.get("/ingresar", headers=FORWARDED)).text)
                form = {"cedula": "1020304050", "password": "no-es-esta", "_csrf_token": token}
                answer = await web.post("/ingresar", data=form, headers=FORWARDED)
    finally:
        registration.event_hooks["request"].remove(record)
    assert answer.status_code == 401
    assert seen == [passed_on]
