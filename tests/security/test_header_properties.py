"""Headers anyone can send, generated: Authorization with latin-1 or UTF-8 bytes, X-Actor-Id and
Cookie garbage, on both services. A wrong credential is a 401 (or a way to the login page),
never a server error."""

from __future__ import annotations

import httpx
from hypothesis import HealthCheck, example, given, settings
from litestar.testing import AsyncTestClient

from tests.security.conftest import WEB_API_TOKEN, Cast, People, play
from tests.security.hostile_text import NON_ASCII_TOKEN, SUPERSCRIPT_TWO, header_values

BOUNDED = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NON_ASCII_BEARER = b"Bearer " + NON_ASCII_TOKEN.encode("latin-1")
UTF8_BEARER = b"Bearer " + NON_ASCII_TOKEN.encode()
NOBODY = "00000000-0000-0000-0000-000000000000"


@BOUNDED
@given(authorization=header_values(), actor=header_values())
@example(authorization=NON_ASCII_BEARER, actor=b"")
@example(authorization=UTF8_BEARER, actor=SUPERSCRIPT_TWO.encode())
async def test_registration_refuses_any_service_token_or_actor_without_a_server_error(
    registration: AsyncTestClient, people: People, authorization: bytes, actor: bytes
) -> None:
    user = people.members["USER"]["id"]
    headers = {"Authorization": authorization, "X-Actor-Id": actor}
    response = await registration.patch(f"/api/users/{user}", json={}, headers=headers)
    assert response.status_code in (400, 401, 403, 422), response.text[:300]


@BOUNDED
@given(actor=header_values())
@example(actor=SUPERSCRIPT_TWO.encode())
async def test_registration_with_the_right_token_refuses_any_unknown_actor(
    registration: AsyncTestClient, people: People, actor: bytes
) -> None:
    path = f"/api/users/{people.members['USER']['id']}"
    response = await registration.patch(path, json={}, headers={"X-Actor-Id": actor})
    assert response.status_code == 401, response.text[:300]


@BOUNDED
@given(authorization=header_values())
@example(authorization=NON_ASCII_BEARER)
@example(authorization=UTF8_BEARER)
@example(authorization=b"Bearer " + WEB_API_TOKEN.encode() + "é".encode("latin-1"))
async def test_the_web_api_refuses_any_token_but_its_own_with_a_401(
    site: httpx.AsyncClient, authorization: bytes
) -> None:
    play(site, None)
    headers = {"Authorization": authorization}
    response = await site.get(f"/api/users/{NOBODY}/census", headers=headers)
    assert response.status_code == 401, response.text[:300]


@BOUNDED
@given(cookie=header_values())
@example(cookie=b"censo_session=" + SUPERSCRIPT_TWO.encode())
@example(cookie=b"censo_session=\xff\xfe; censo_csrf=\xe9")
async def test_a_garbage_cookie_is_a_visitor_without_a_session(
    site: httpx.AsyncClient, cast: Cast, cookie: bytes
) -> None:
    play(site, None)
    for path in ("/inicio", "/ingresar"):
        response = await site.get(path, headers={"Cookie": cookie})
        assert response.status_code < 500, f"{path}: {response.text[:300]}"
        if path == "/inicio":
            assert response.status_code == 303
