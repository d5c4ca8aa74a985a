"""The web passes its request id on to the registration API, so one action reads as one story."""

from __future__ import annotations

import httpx

from services.common.logging import bound_context
from services.web.adapters.registration_client import make_http_client


async def _sent_request(request_id: str | None) -> httpx.Request:
    """What the real client (with its hooks) puts on the wire, through a fake network."""
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    transport = httpx.MockTransport(answer)
    async with make_http_client("http://registration.test", "token", 1.0, transport) as client:
        if request_id is None:
            await client.get("/health")
        else:
            with bound_context(request_id=request_id):
                await client.get("/health")
    return seen[0]


async def test_a_call_made_while_serving_a_page_carries_its_request_id() -> None:
    request = await _sent_request("3f2c9d1e-req")
    assert request.headers["x-request-id"] == "3f2c9d1e-req"


async def test_a_call_made_outside_a_request_carries_no_request_id() -> None:
    request = await _sent_request(None)
    assert "x-request-id" not in request.headers
