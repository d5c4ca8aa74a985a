"""POST /api/sessions/verify: the web's login check, its limits (growing waits per cédula, a window
per client address), and rehashing."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.client_address import CLIENT_ADDRESS_HEADER
from tests.integration.registration.conftest import make_settings, open_client
from tests.integration.registration.support import register
from tests.support.accounts import PASSWORD, new_cedula


async def verify(
    client: AsyncTestClient, cedula: str, password: str = PASSWORD, address: str | None = None
):
    headers = {CLIENT_ADDRESS_HEADER: address} if address else {}
    body = {"cedula": cedula, "password": password}
    return await client.post("/api/sessions/verify", json=body, headers=headers)


async def test_right_password_answers_the_user(api: AsyncTestClient) -> None:
    user = await register(api)
    response = await verify(api, user["cedula"][:3] + "." + user["cedula"][3:])
    assert response.status_code == 200
    assert response.json()["id"] == user["id"]
    assert "password_hash" not in response.json()


async def test_unknown_cedula_and_wrong_password_answer_alike(api: AsyncTestClient) -> None:
    user = await register(api)
    wrong = await verify(api, user["cedula"], "Otra-Clave-99")
    unknown = await verify(api, new_cedula())
    malformed = await verify(api, "abc")
    assert wrong.status_code == unknown.status_code == malformed.status_code == 401
    assert wrong.json() == unknown.json() == malformed.json()
    assert wrong.json()["detail"] == "Cédula o contraseña incorrectas."


async def test_five_failures_make_the_cedula_wait_with_retry_after(api: AsyncTestClient) -> None:
    user = await register(api)
    for _ in range(5):
        assert (await verify(api, user["cedula"], "Otra-Clave-99")).status_code == 401
    locked = await verify(api, user["cedula"])  # even the right password waits
    assert locked.status_code == 429
    assert 25 <= int(locked.headers["Retry-After"]) <= 30  # a wait that grows, not a lock-out
    assert locked.json()["detail"].startswith("Cédula: demasiados intentos")


async def test_one_address_trying_many_cedulas_is_stopped_and_no_one_else(
    registration_db: str,
) -> None:
    settings = make_settings(registration_db, login_address_max_failures=4)
    async with await open_client(settings) as client:
        user = await register(client)
        guesses = [
            (await verify(client, new_cedula(), "Clave-Comun-2026", "190.24.5.7")).status_code
            for _ in range(4)
        ]
        refused = await verify(client, user["cedula"], PASSWORD, "190.24.5.7")
        elsewhere = await verify(client, user["cedula"], PASSWORD, "181.50.1.2")
    assert guesses == [401] * 4
    assert refused.status_code == 429
    assert "desde esta conexión" in refused.json()["detail"]
    assert elsewhere.status_code == 200


async def test_unknown_cedulas_are_locked_the_same_way(api: AsyncTestClient) -> None:
    cedula = new_cedula()
    statuses = [(await verify(api, cedula)).status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]


async def test_a_success_clears_earlier_failures(api: AsyncTestClient) -> None:
    user = await register(api)
    for _ in range(4):
        await verify(api, user["cedula"], "Otra-Clave-99")
    assert (await verify(api, user["cedula"])).status_code == 200
    for _ in range(4):
        assert (await verify(api, user["cedula"], "Otra-Clave-99")).status_code == 401


async def test_login_rehashes_when_argon2_parameters_change(
    api: AsyncTestClient, db: AsyncEngine, registration_db: str
) -> None:
    user = await register(api)
    async with await open_client(make_settings(registration_db, argon2_time_cost=2)) as stronger:
        assert (await verify(stronger, user["cedula"])).status_code == 200
    async with db.connect() as conn:
        stored = (
            await conn.execute(
                text("SELECT password_hash FROM users WHERE id = :id"), {"id": user["id"]}
            )
        ).scalar_one()
    assert stored.split("$")[3] == "m=1024,t=2,p=1"
    assert (await verify(api, user["cedula"])).status_code == 200  # the new hash still verifies


async def test_unknown_cedula_takes_as_long_as_a_wrong_password(registration_db: str) -> None:
    settings = make_settings(registration_db, argon2_memory_cost_kib=16384, argon2_time_cost=2)
    async with await open_client(settings) as client:
        user = await register(client)

        async def median_ms(attempt: Callable[[], object]) -> float:
            samples = []
            for _ in range(4):
                started = time.perf_counter()
                await attempt()  # type: ignore[misc]
                samples.append((time.perf_counter() - started) * 1000)
            return statistics.median(samples)

        wrong = await median_ms(lambda: verify(client, user["cedula"], "Otra-Clave-99"))
        unknown = await median_ms(lambda: verify(client, new_cedula()))
    assert unknown > 0.5 * wrong, (unknown, wrong)
