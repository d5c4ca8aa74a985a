"""`censo admin edit|handover|reset-link|temporary-password|role|delete` against a real
database: each through the same use case as an ADMIN's request, recorded with the operator,
refusing the last active ADMIN's demotion or deletion, an unknown cédula and a taken one (exit
1), bad input (exit 2)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.db import make_engine
from tests.integration.registration.conftest import make_settings, open_client
from tests.integration.registration.support import register, set_role
from tests.integration.registration.test_cli import cli, finished, last_line
from tests.support.accounts import PASSWORD, new_cedula

OPERATOR = "ops-ana"


@pytest.fixture
async def api_on(fresh_db: str) -> AsyncIterator[AsyncTestClient]:
    async with await open_client(make_settings(fresh_db)) as client:
        yield client


@pytest.fixture
async def engine(fresh_db: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(fresh_db, pool_size=1)
    yield engine
    await engine.dispose()


async def admin(fresh_db: str, *args: str, **env: str) -> tuple[int, str, str]:
    """Run `censo admin <args>` as the operator on the test's database."""
    settings = {
        "REGISTRATION_DATABASE_URL": fresh_db,
        "REGISTRATION_MIGRATE_ON_START": "false",
        "CENSO_OPERATOR": OPERATOR,
    }
    return await finished(cli("admin_app", *args, **(settings | env)))


async def operator_events(engine: AsyncEngine) -> list[dict[str, Any]]:
    async with engine.connect() as conn:
        query = "SELECT convert_from(value, 'UTF8') FROM outbox ORDER BY id"
        rows = (await conn.execute(text(query))).scalars().all()
    events = [json.loads(row) for row in rows]
    return [event for event in events if event["data"].get("operator") == OPERATOR]


async def test_role_and_edit_by_cedula_never_the_last_admin_nor_a_taken_cedula(
    fresh_db: str, api_on: AsyncTestClient, engine: AsyncEngine
) -> None:
    boss, person, other = [await register(api_on) for _ in range(3)]
    await set_role(engine, boss["id"], "ADMIN")
    corrected = new_cedula()

    promoted = await admin(fresh_db, "role", person["cedula"], "leader")
    again = await admin(fresh_db, "role", person["cedula"], "LEADER")
    last = await admin(fresh_db, "role", boss["cedula"], "USER")
    unknown = await admin(fresh_db, "role", new_cedula(), "ADMIN")
    no_role = await admin(fresh_db, "role", person["cedula"], "JEFE")
    edited = await admin(
        fresh_db, "edit", person["cedula"], "--nombre", "Ana Pérez", "--meta", "25"
    )
    taken = await admin(fresh_db, "edit", person["cedula"], "--cedula", other["cedula"])
    invalid = await admin(fresh_db, "edit", person["cedula"], "--nombre", "A")
    nothing = await admin(fresh_db, "edit", person["cedula"])
    fixed = await admin(fresh_db, "edit", person["cedula"], "--cedula", corrected)

    assert promoted[0] == 0 and "role changed: USER -> LEADER" in promoted[1]
    assert again[0] == 0 and "role already LEADER" in again[1]
    assert last[0] == 1 and "last active ADMIN" in last_line(last[2])
    assert unknown[0] == 1 and "no account has this cédula" in last_line(unknown[2])
    assert no_role[0] == 2 and "unknown role" in last_line(no_role[2])
    assert edited[0] == 0 and edited[1].strip() == "account saved"
    assert taken[0] == 1 and "already has this cédula" in last_line(taken[2])
    assert invalid[0] == 2 and "Nombre completo:" in last_line(invalid[2])
    assert nothing[0] == 2 and "nothing to change" in last_line(nothing[2])
    assert fixed[0] == 0 and "corrected cédula" in fixed[1] and corrected not in fixed[1]
    kinds = [event["type"] for event in await operator_events(engine)]
    assert kinds == ["UserRoleChanged", "UserEditedByAdmin", "UserCedulaCorrected"]
    roles = await api_on.post(
        "/api/sessions/verify", json={"cedula": boss["cedula"], "password": PASSWORD}
    )
    assert roles.json()["role"] == "ADMIN"


async def test_handover_reset_link_and_temporary_password_by_cedula(
    fresh_db: str, api_on: AsyncTestClient, engine: AsyncEngine
) -> None:
    old, new = await register(api_on), await register(api_on)
    for leader in (old, new):
        await set_role(engine, leader["id"], "LEADER")
    first, second = [await register(api_on, referral_code=old["referral_code"]) for _ in range(2)]

    moved = await admin(
        fresh_db, "handover", old["cedula"], new["cedula"], "--referido", first["cedula"]
    )
    same = await admin(fresh_db, "handover", old["cedula"], old["cedula"])
    stranger = await admin(
        fresh_db, "handover", old["cedula"], new["cedula"], "--referido", new_cedula()
    )
    link = await admin(
        fresh_db, "reset-link", second["cedula"], WEB_PUBLIC_BASE_URL="https://censo.example/"
    )

    assert moved[0] == 0 and "1 referral(s) handed over" in moved[1]
    assert same[0] == 2 and "otra persona" in last_line(same[2])
    assert stranger[0] == 1 and "no account has this cédula" in last_line(stranger[2])
    assert link[0] == 0 and "valid until" in link[2]
    url = link[1].strip()
    assert url.startswith("https://censo.example/restablecer/")
    token = url.rsplit("/", 1)[1]
    reset = await api_on.post(
        "/api/password-resets", json={"token": token, "new_password": "Orquidea-Nueva-77"}
    )
    assert reset.status_code == 200

    temporary = await admin(
        fresh_db, "temporary-password", second["cedula"], CENSO_TEMPORARY_PASSWORD="Temporal-2026"
    )

    assert temporary[0] == 0 and "must be changed" in temporary[1]
    login = await api_on.post(
        "/api/sessions/verify", json={"cedula": second["cedula"], "password": "Temporal-2026"}
    )
    assert login.status_code == 200 and login.json()["must_change_password"] is True
    async with engine.connect() as conn:
        referrers = dict(
            (await conn.execute(text("SELECT id::text, referrer_id::text FROM users"))).all()
        )
    assert (referrers[first["id"]], referrers[second["id"]]) == (new["id"], old["id"])
    kinds = [event["type"] for event in await operator_events(engine)]
    assert kinds == ["ReferralHandedOver", "PasswordResetIssued", "TemporaryPasswordSet"]


async def test_delete_by_cedula_erases_the_key_and_never_the_last_admin(
    fresh_db: str, api_on: AsyncTestClient, engine: AsyncEngine
) -> None:
    boss, person = await register(api_on), await register(api_on)
    await set_role(engine, boss["id"], "ADMIN")

    deleted = await admin(fresh_db, "delete", person["cedula"], "--yes")
    again = await admin(fresh_db, "delete", person["cedula"], "--yes")
    last = await admin(fresh_db, "delete", boss["cedula"], "--yes")

    assert deleted[0] == 0 and "account deleted" in deleted[1]
    assert again[0] == 1 and "no account has this cédula" in last_line(again[2])
    assert last[0] == 1 and "last active ADMIN" in last_line(last[2])
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT cedula, nombre, telefono FROM users WHERE id = :id"), person
            )
        ).one()
        keys = await conn.scalar(
            text("SELECT count(*) FROM person_keys WHERE user_id = :id"), person
        )
    assert person["cedula"] not in row.cedula and row.nombre == "Cuenta eliminada" and not keys
    assert [event["type"] for event in await operator_events(engine)] == ["UserDeleted"]
