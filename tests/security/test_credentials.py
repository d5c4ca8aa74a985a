"""Guessing passwords is slow: failed logins lock the cédula (web and API answer 429 with
Retry-After), wrong current passwords on the password change count as failed logins, and stored
hashes are argon2id with at least OWASP's minimum cost."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import text

from services.common.db import make_engine
from services.common.settings import KafkaSettings
from services.registration.app import create_app
from services.registration.settings import RegistrationSettings
from tests.integration.web.support import csrf_token, register
from tests.security.conftest import play
from tests.support.accounts import PASSWORD

WRONG = "Clave-Equivocada-31"
WINDOW_S = 900  # the login lockout window by default (REGISTRATION_LOGIN_FAILURE_WINDOW_S)
# OWASP Password Storage Cheat Sheet: argon2id with any of these (memory KiB, iterations), p=1.
OWASP_ARGON2ID_MINIMUMS = [(47_104, 1), (19_456, 2), (12_288, 3), (9_216, 4), (7_168, 5)]
ARGON2_HASH = re.compile(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[^$]+\$[^$]+$")


async def verify(registration: AsyncTestClient, cedula: str, password: str):  # type: ignore[no-untyped-def]
    body = {"cedula": cedula, "password": password}
    return await registration.post("/api/sessions/verify", json=body)


async def change_password(registration: AsyncTestClient, user: dict, current: str):  # type: ignore[no-untyped-def]
    body = {"current_password": current, "new_password": "Nueva-Clave-2026"}
    headers = {"X-Actor-Id": user["id"]}
    return await registration.put(f"/api/users/{user['id']}/password", json=body, headers=headers)


def assert_locked(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 429, response.text
    assert 0 < int(response.headers["Retry-After"]) <= WINDOW_S


async def test_the_api_locks_a_cedula_after_five_failed_logins(
    registration: AsyncTestClient,
) -> None:
    user = await register(registration)
    statuses = [(await verify(registration, user["cedula"], WRONG)).status_code for _ in range(5)]
    locked = await verify(registration, user["cedula"], PASSWORD)  # even the right password waits
    assert statuses == [401] * 5
    assert_locked(locked)
    assert "demasiados intentos" in locked.json()["detail"]


async def test_the_login_page_answers_429_with_retry_after_once_locked(
    site: httpx.AsyncClient, registration: AsyncTestClient
) -> None:
    user = await register(registration)
    play(site, None)
    token = await csrf_token(site)

    async def attempt(password: str):  # type: ignore[no-untyped-def]
        data = {"cedula": user["cedula"], "password": password, "_csrf_token": token}
        return await site.post("/ingresar", data=data)

    statuses = [(await attempt(WRONG)).status_code for _ in range(5)]
    locked = await attempt(PASSWORD)
    assert statuses == [401] * 5
    assert_locked(locked)
    assert "demasiados intentos" in locked.text
    assert "censo_sesion" not in locked.cookies


async def test_wrong_current_passwords_count_as_failed_logins(
    registration: AsyncTestClient,
) -> None:
    user = await register(registration)
    statuses = [(await change_password(registration, user, WRONG)).status_code for _ in range(5)]
    assert statuses == [422] * 5
    assert_locked(await verify(registration, user["cedula"], PASSWORD))
    refused = await change_password(registration, user, PASSWORD)  # the right one waits too
    assert_locked(refused)
    assert refused.json()["detail"].startswith("Contraseña actual: demasiados intentos")


async def test_failed_logins_also_lock_the_password_change(registration: AsyncTestClient) -> None:
    user = await register(registration)
    for _ in range(5):
        await verify(registration, user["cedula"], WRONG)
    assert_locked(await change_password(registration, user, PASSWORD))


@pytest.fixture(scope="module")
async def default_hashing_api(
    create_database: Callable[[str], str],
) -> AsyncTestClient:
    """The registration API with its production hashing settings (the suite's own are cheap)."""
    settings = RegistrationSettings(
        database_url=create_database("security_argon2"),
        kafka=KafkaSettings(bootstrap_servers="127.0.0.1:9", startup_timeout_s=1),
        service_token="argon2-test-token",
    )
    async with AsyncTestClient(app=create_app(settings)) as client:
        client.headers["Authorization"] = "Bearer argon2-test-token"
        yield client


async def test_stored_password_hashes_are_argon2id_at_owasp_minimum_cost(
    default_hashing_api: AsyncTestClient,
) -> None:
    user = await register(default_hashing_api)
    engine = make_engine(default_hashing_api.app.state.services.settings.database_url)
    try:
        async with engine.connect() as conn:
            stored = await conn.scalar(
                text("SELECT password_hash FROM users WHERE id = :id"), {"id": user["id"]}
            )
    finally:
        await engine.dispose()
    match = ARGON2_HASH.match(stored)
    assert match, f"not an argon2id hash: {stored[:20]}…"
    memory_kib, iterations, lanes = map(int, match.groups())
    assert lanes >= 1
    assert any(memory_kib >= m and iterations >= t for m, t in OWASP_ARGON2ID_MINIMUMS)
    assert PASSWORD not in stored
