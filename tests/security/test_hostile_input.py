"""Hostile strings in every field a person types (sign-up, login, profile, search): refused with a
Spanish message naming the field (4xx, never 5xx), or accepted and then shown escaped in the
pages, neutralised in the CSV export, and absent from the live-update stream."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient
from markupsafe import escape

from schemas.events import UserRegisteredData
from services.registration.domain.errors import FIELD_LABELS
from services.web.projection.projector import Projector
from tests.integration.web.builders import project, referral
from tests.integration.web.sse_client import EventStream
from tests.integration.web.support import csrf_token, register
from tests.security.conftest import Cast, log_in, play
from tests.support.accounts import PASSWORD, sign_up_form

HOSTILE = {
    "html": '<script>alert("x")</script><img src=x onerror=alert(1)>',
    "sql": "' OR 1=1; DROP TABLE users; --",
    "long": "Á" * 10_000,
    "nul": "Ana\x00María",
    "rtl": "\u202eAna María",
    "emoji": "Ana 😀 María",
    "quotes": 'O\'Brien "el" `Gómez`',
    "formula": '=HYPERLINK("http://x.example","clic")',
}
CASES = [pytest.param(value, id=name) for name, value in HOSTILE.items()]
SIGN_UP_FIELDS = ["nombre", "cedula", "telefono", "password", "referral_code"]
PROFILE_FIELDS = ["nombre", "telefono", "referral_goal"]


def assert_refused_in_spanish_or_accepted(response: httpx.Response, field: str) -> None:
    assert response.status_code < 500, response.text[:300]
    if 400 <= response.status_code < 500:
        assert f"{FIELD_LABELS[field]}:" in response.text, response.text[:300]


def assert_not_reflected_raw(response: httpx.Response, value: str) -> None:
    if any(char in value for char in "<>\"'"):
        assert value not in response.text


# --- sign-up, login and profile forms of the web


@pytest.mark.parametrize("value", CASES)
@pytest.mark.parametrize("field", SIGN_UP_FIELDS)
async def test_sign_up_form_refuses_or_escapes_a_hostile_value(
    site: httpx.AsyncClient, field: str, value: str
) -> None:
    play(site, None)
    data = sign_up_form(**{field: value}) | {"_csrf_token": await csrf_token(site)}
    data["data_policy_accepted"] = "on"
    data["password_confirm"] = data["password"]
    response = await site.post("/registro", data=data)
    assert_refused_in_spanish_or_accepted(response, field)
    assert_not_reflected_raw(response, value)
    if response.status_code == 303:  # accepted: the new user's pages show it escaped
        assert_not_reflected_raw(await site.get("/inicio"), value)
        assert_not_reflected_raw(await site.get("/perfil"), value)


@pytest.mark.parametrize("value", CASES)
@pytest.mark.parametrize("field", ["cedula", "password"])
async def test_login_form_answers_a_hostile_value_without_a_server_error(
    site: httpx.AsyncClient, field: str, value: str
) -> None:
    play(site, None)
    data = {"cedula": "1020304050", "password": PASSWORD, field: value}
    response = await site.post("/ingresar", data=data | {"_csrf_token": await csrf_token(site)})
    assert response.status_code in (401, 429)
    assert "Cédula o contraseña incorrectas." in response.text or "demasiados" in response.text
    assert_not_reflected_raw(response, value)


@pytest.fixture(scope="module")
async def profile_owner(site: httpx.AsyncClient, registration: AsyncTestClient) -> httpx.Cookies:
    return await log_in(site, (await register(registration))["cedula"])


@pytest.mark.parametrize("value", CASES)
@pytest.mark.parametrize("field", PROFILE_FIELDS)
async def test_profile_form_refuses_or_escapes_a_hostile_value(
    site: httpx.AsyncClient, profile_owner: httpx.Cookies, field: str, value: str
) -> None:
    play(site, profile_owner)
    data = {"nombre": "Ana María Pérez", "telefono": "3001234567", "referral_goal": "10"}
    data[field] = value
    response = await site.post("/perfil", data=data | {"_csrf_token": profile_owner["censo_csrf"]})
    assert_refused_in_spanish_or_accepted(response, field)
    assert_not_reflected_raw(response, value)
    assert_not_reflected_raw(await site.get("/perfil"), value)


# --- the registration API itself (JSON: also wrong types)


@pytest.mark.parametrize("value", [*CASES, 12345, None, ["a"], {"$ne": ""}, True])
@pytest.mark.parametrize("field", SIGN_UP_FIELDS)
async def test_registration_api_refuses_a_hostile_value_with_a_spanish_message(
    registration: AsyncTestClient, field: str, value: Any
) -> None:
    response = await registration.post("/api/users", json=sign_up_form(**{field: value}))
    assert response.status_code < 500, response.text[:300]
    if response.status_code != 201:
        assert response.status_code in (409, 422)
        assert response.json()["detail"].startswith(FIELD_LABELS[field])


# --- searches and other query strings


SEARCHES = [
    ("LEADER", "/referidos", "busqueda"),
    ("LEADER", "/referidos", "estado"),
    ("LEADER", "/referidos", "pagina"),
    ("LEADER", "/referidos.csv", "busqueda"),
    ("ADMIN", "/admin", "busqueda"),
    ("ADMIN", "/admin", "rol"),
    (None, "/registro", "ref"),
    (None, "/ingresar", "next"),
]


@pytest.mark.parametrize("value", CASES)
@pytest.mark.parametrize(("role", "path", "param"), SEARCHES)
async def test_a_hostile_search_answers_normally_and_escaped(
    site: httpx.AsyncClient, cast: Cast, role: str | None, path: str, param: str, value: str
) -> None:
    play(site, cast.browsers[role].cookies if role else None)
    response = await site.get(path, params={param: value})
    assert response.status_code == 200, response.text[:300]
    assert_not_reflected_raw(response, value)


# --- names already in the read model (the old portal's data, any producer): shown safely

STORED_NAMES = [
    '=HYPERLINK("http://x.example","clic")',
    "+SUM(1,1)",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    '<script>alert("x")</script> Pérez',
    "\u202eAna 😀 O'Brien",
]


@pytest.fixture(scope="module")
async def stored(cast: Cast, projector: Projector) -> list[UserRegisteredData]:
    """Referrals of the LEADER with these names, projected straight into the read model."""
    events = [referral(cast.browsers["LEADER"].user["id"], nombre=name) for name in STORED_NAMES]
    await project(projector, *events)
    return [event.data for event in events]


PAGES = [
    ("LEADER", "/referidos?busqueda={cedula}"),
    ("LEADER", "/referidos/fila/{user_id}"),
    ("ADMIN", "/admin?busqueda={cedula}"),
    ("ADMIN", "/admin/usuarios/{user_id}"),
]


@pytest.mark.parametrize(("role", "path"), PAGES)
async def test_stored_hostile_names_are_escaped_in_the_pages(
    site: httpx.AsyncClient, cast: Cast, stored: list[UserRegisteredData], role: str, path: str
) -> None:
    play(site, cast.browsers[role].cookies)
    for user in stored:
        page = await site.get(path.format(cedula=user.cedula, user_id=user.user_id))
        assert page.status_code == 200
        assert str(escape(user.nombre)) in page.text
        assert_not_reflected_raw(page, user.nombre)


async def test_the_csv_export_neutralises_formulas_in_stored_names(
    site: httpx.AsyncClient, cast: Cast, stored: list[UserRegisteredData]
) -> None:
    play(site, cast.browsers["LEADER"].cookies)
    response = await site.get("/referidos.csv")
    rows = {row[1]: row for row in csv.reader(io.StringIO(response.text.lstrip("\ufeff")))}
    for user in stored:
        formula = user.nombre.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert rows[user.cedula][0] == ("'" if formula else "") + user.nombre
    formula_cells = [c for row in rows.values() for c in row if c.startswith(("=", "+", "-", "@"))]
    assert formula_cells == []


async def test_live_events_carry_no_stored_text(
    site: httpx.AsyncClient, cast: Cast, projector: Projector
) -> None:
    leader = cast.browsers["LEADER"]
    hostile = referral(leader.user["id"], nombre='<img src=x onerror="alert(1)"> Ana')
    browser = httpx.AsyncClient(base_url=site.base_url, cookies=leader.cookies)
    async with browser, EventStream(browser) as stream:
        await project(projector, hostile)
        await stream.wait(lambda: "referrals" in stream.names(), timeout_s=5.0)
    payloads = " ".join(f"{e.id} {e.event} {e.data}" for e in stream.events)
    assert hostile.data.nombre not in payloads
    assert hostile.data.cedula not in payloads
    assert "<" not in payloads


# --- where the login sends the browser afterwards

FOREIGN_TARGETS = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "/\t/evil.example/",  # browsers drop tabs and newlines from URLs: «//evil.example/»
    "/\n/evil.example/",
    "\t//evil.example/",
]


@pytest.mark.parametrize("target", FOREIGN_TARGETS, ids=repr)
async def test_the_login_never_redirects_to_another_site(
    site: httpx.AsyncClient, cast: Cast, target: str
) -> None:
    play(site, None)
    user = cast.browsers["USER"].user
    data = {"cedula": user["cedula"], "password": PASSWORD, "next": target}
    response = await site.post("/ingresar", data=data | {"_csrf_token": await csrf_token(site)})
    assert response.status_code == 303
    location = response.headers["location"]
    as_browsers_read_it = "".join(c for c in location if c not in "\t\n\r")
    assert as_browsers_read_it.startswith("/")
    assert not as_browsers_read_it.startswith(("//", "/\\"))
