"""POST /api/users: what a registration writes, and every way it can be refused."""

from __future__ import annotations

import asyncio

from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.registration.support import outbox_events, register
from tests.support.accounts import new_cedula, sign_up_form

USER_FIELDS = {
    "id",
    "cedula",
    "nombre",
    "telefono",
    "referral_code",
    "referral_goal",
    "role",
    "referrer_id",
    "registered_at",
    "data_policy_accepted_at",
    "disabled_at",
    "must_change_password",
}


async def users_with_cedula(db: AsyncEngine, cedula: str) -> int:
    async with db.connect() as conn:
        return (
            await conn.execute(text("SELECT count(*) FROM users WHERE cedula = :c"), {"c": cedula})
        ).scalar_one()


async def test_registration_answers_the_user_and_writes_one_user_registered_event(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    cedula = new_cedula()
    user = await register(api, cedula=f"{cedula[:1]}.{cedula[1:4]}.{cedula[4:7]}.{cedula[7:]}")
    assert set(user) == USER_FIELDS
    assert (user["cedula"], user["telefono"], user["role"]) == (cedula, "3105550101", "USER")
    assert (
        len(user["referral_code"]) == 8
        and user["referral_goal"] == 10
        and user["referrer_id"] is None
    )
    (event,) = await outbox_events(db, user["id"])
    assert event["type"] == "UserRegistered"
    assert (
        event["data"]["cedula"] == cedula
        and event["data"]["referral_code"] == user["referral_code"]
    )
    assert "password" not in str(event) and "argon2" not in str(event)


async def test_malformed_cedula_is_422_in_spanish_and_writes_nothing(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    response = await api.post("/api/users", json=sign_up_form(cedula="01234x"))
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("Cédula: ")
    assert body["errors"] == [{"field": "cedula", "message": body["detail"]}]
    assert await users_with_cedula(db, "01234x") == 0


async def test_every_bad_field_is_reported_at_once(api: AsyncTestClient) -> None:
    response = await api.post(
        "/api/users",
        json=sign_up_form(
            nombre="J0hn", telefono="12345", password="12345678", data_policy_accepted=False
        ),
    )
    assert response.status_code == 422
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(messages) == {"nombre", "telefono", "password", "data_policy_accepted"}
    assert messages["telefono"].startswith("Teléfono: ")
    assert messages["data_policy_accepted"].startswith("Política de tratamiento de datos: ")


async def test_missing_and_mistyped_fields_are_422_naming_the_field(api: AsyncTestClient) -> None:
    body = sign_up_form(cedula=1020304050)
    del body["telefono"]
    response = await api.post("/api/users", json=body)
    assert response.status_code == 422
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert messages == {
        "cedula": "Cédula: debe ser texto.",
        "telefono": "Teléfono: es obligatorio.",
    }


async def test_taken_cedula_is_409_even_written_differently(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    cedula = new_cedula()
    await register(api, cedula=cedula)
    response = await api.post("/api/users", json=sign_up_form(cedula=f"{cedula[:4]} {cedula[4:]}"))
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "cedula"
    assert response.json()["detail"].startswith("Cédula: ya existe")
    assert await users_with_cedula(db, cedula) == 1


async def test_two_simultaneous_registrations_of_one_cedula_give_201_and_409(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    cedula = new_cedula()
    responses = await asyncio.gather(
        *(api.post("/api/users", json=sign_up_form(cedula=cedula)) for _ in range(2))
    )
    assert sorted(r.status_code for r in responses) == [201, 409]
    assert await users_with_cedula(db, cedula) == 1


async def test_referral_code_records_the_referrer(api: AsyncTestClient) -> None:
    leader = await register(api)
    referred = await register(api, referral_code=leader["referral_code"].lower())
    assert referred["referrer_id"] == leader["id"]


async def test_unknown_or_malformed_referral_code_registers_without_referrer(
    api: AsyncTestClient,
) -> None:
    assert (await register(api, referral_code="ZZZZ2222"))["referrer_id"] is None
    assert (await register(api, referral_code="not a code!"))["referrer_id"] is None


async def test_referral_codes_are_unique(api: AsyncTestClient) -> None:
    codes = [(await register(api))["referral_code"] for _ in range(20)]
    assert len(set(codes)) == 20


async def test_api_refuses_calls_without_the_service_token(api: AsyncTestClient) -> None:
    response = await api.post(
        "/api/users", json=sign_up_form(), headers={"Authorization": "Bearer wrong"}
    )
    assert response.status_code == 401
    response = await api.post("/api/users", json=sign_up_form(), headers={"Authorization": ""})
    assert response.status_code == 401


async def test_health_reports_the_outbox_backlog_without_a_token(api: AsyncTestClient) -> None:
    await register(api)
    response = await api.get("/health", headers={"Authorization": ""})
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok" and body["outbox"]["unsent"] >= 1  # no relay runs with this app
    assert body["outbox"]["oldest_unsent_age_s"] >= 0


async def test_openapi_names_every_operation(api: AsyncTestClient) -> None:
    schema = (await api.get("/schema/openapi.json")).json()
    operations = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {
        "register_user",
        "verify_credentials",
        "update_profile",
        "change_password",
        "change_role",
        "request_validation",
        "request_bulk_validation",
        "health",
    } <= operations
