"""The registration API client against a fake API (httpx's MockTransport): answers and failures."""

from __future__ import annotations

import json
from uuid import uuid4

import httpx
import pytest

from services.web.adapters.registration_client import (
    BULK_MAX_TARGETS,
    RegistrationClient,
    RegistrationUnavailable,
)


def client(handler) -> RegistrationClient:  # type: ignore[no-untyped-def]
    http = httpx.AsyncClient(base_url="http://registration", transport=httpx.MockTransport(handler))
    return RegistrationClient(http)


async def test_field_errors_come_back_by_field_in_spanish() -> None:
    body = {
        "status_code": 422,
        "detail": "Cédula: es obligatoria.",
        "errors": [
            {"field": "cedula", "message": "Cédula: es obligatoria."},
            {"field": "telefono", "message": "Teléfono: es obligatorio."},
        ],
    }
    answer = await client(lambda _: httpx.Response(422, json=body)).register({})
    assert not answer.ok
    assert answer.field_errors == {
        "cedula": "Cédula: es obligatoria.",
        "telefono": "Teléfono: es obligatorio.",
    }


async def test_a_lockout_carries_its_retry_after() -> None:
    response = httpx.Response(429, json={"detail": "demasiados"}, headers={"Retry-After": "900"})
    answer = await client(lambda _: response).verify_credentials("123", "x")
    assert answer.status == 429 and answer.retry_after_s == 900


async def test_calls_for_a_user_name_the_actor() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(202, json={"queued": [], "refused": []})

    actor, target = uuid4(), uuid4()
    await client(handler).request_validation(actor, target)
    assert seen[0].headers["X-Actor-Id"] == str(actor)
    assert json.loads(seen[0].content) == {"user_id": str(target), "reason": "refresh"}


@pytest.mark.parametrize(
    "fail", [lambda _: httpx.Response(503), httpx.ConnectError("refused")], ids=["5xx", "down"]
)
async def test_a_failing_or_unreachable_api_raises(fail) -> None:  # type: ignore[no-untyped-def]
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(fail, Exception):
            raise fail
        return fail(request)

    with pytest.raises(RegistrationUnavailable):
        await client(handler).register({})


async def test_a_bulk_request_is_sent_in_chunks_the_api_accepts() -> None:
    sizes: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        ids = json.loads(request.content)["user_ids"]
        sizes.append(len(ids))
        return httpx.Response(202, json={"queued": ids, "refused": []})

    answers = await client(handler).request_bulk_validation(uuid4(), [uuid4() for _ in range(2500)])
    assert sizes == [BULK_MAX_TARGETS, BULK_MAX_TARGETS, 500]
    assert sum(len(a.body["queued"]) for a in answers) == 2500


async def test_a_bulk_request_stops_at_the_first_refused_chunk() -> None:
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(429, json={"detail": "espere"}, headers={"Retry-After": "30"})

    answers = await client(handler).request_bulk_validation(uuid4(), [uuid4() for _ in range(1500)])
    assert len(calls) == 1 and answers[-1].retry_after_s == 30


async def test_a_login_names_the_address_it_comes_from_when_known() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(401, json={"detail": "no"})

    await client(handler).verify_credentials("123", "x", "190.24.5.7")
    await client(handler).verify_credentials("123", "x", None)
    assert seen[0].headers["X-Client-Address"] == "190.24.5.7"
    assert "X-Client-Address" not in seen[1].headers
