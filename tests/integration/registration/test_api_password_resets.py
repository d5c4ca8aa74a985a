"""Password recovery through the API on real PostgreSQL: who may make a reset link (the IDOR
case included), the link used once and only the newest one, the digest stored (never the token),
the same 410 for every dead link, failures limited per address, and the temporary password."""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.client_address import CLIENT_ADDRESS_HEADER
from tests.integration.registration.support import as_actor, outbox_events, register, set_role
from tests.support.accounts import PASSWORD

NEW = "Guayacan-Florido-88"
INVALID = "Este enlace para restablecer la contraseña ya no es válido. Pida a la campaña uno nuevo."


async def issue(api: AsyncTestClient, actor: str, user: str) -> Any:
    return await api.post(f"/api/users/{user}/reset-link", headers=as_actor(actor))


async def complete(api: AsyncTestClient, token: str, password: str = NEW) -> Any:
    return await api.post("/api/password-resets", json={"token": token, "new_password": password})


async def login(api: AsyncTestClient, cedula: str, password: str) -> Any:
    return await api.post("/api/sessions/verify", json={"cedula": cedula, "password": password})


async def test_an_admin_link_sets_a_new_password_once(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    admin, user = await register(api), await register(api)
    await set_role(db, admin["id"], "ADMIN")

    made = await issue(api, admin["id"], user["id"])
    assert made.status_code == 201, made.text
    token = made.json()["token"]
    assert (await api.post("/api/password-resets/check", json={"token": token})).status_code == 204
    done = await complete(api, token)
    again = await complete(api, token, "Otra-Clave-Segura-9")

    assert done.status_code == 200 and done.json()["id"] == user["id"]
    assert (await login(api, user["cedula"], NEW)).status_code == 200
    assert (await login(api, user["cedula"], PASSWORD)).status_code == 401
    assert again.status_code == 410 and again.json()["detail"] == INVALID


async def test_only_the_digest_is_stored_and_events_name_no_token(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    admin, user = await register(api), await register(api)
    await set_role(db, admin["id"], "ADMIN")
    token = (await issue(api, admin["id"], user["id"])).json()["token"]
    await complete(api, token)

    digest = hashlib.sha256(token.encode()).hexdigest()
    async with db.connect() as conn:
        rows = (
            await conn.execute(
                text("SELECT * FROM password_reset_links WHERE user_id = :id"), {"id": user["id"]}
            )
        ).all()
    assert [row.token_hash for row in rows] == [digest] and rows[0].used_at is not None
    events = await outbox_events(db, user["id"])
    assert [e["type"] for e in events][-2:] == ["PasswordResetIssued", "PasswordResetCompleted"]
    assert events[-2]["data"]["issued_by"] == admin["id"]
    assert token not in json.dumps(events) and digest not in json.dumps(events)


async def test_a_leader_makes_links_for_own_referrals_only(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    leader = await register(api)
    await set_role(db, leader["id"], "LEADER")
    mine = await register(api, referral_code=leader["referral_code"])
    stranger, user = await register(api), await register(api)

    assert (await issue(api, leader["id"], mine["id"])).status_code == 201
    assert (await issue(api, leader["id"], stranger["id"])).status_code == 403
    assert (await issue(api, user["id"], stranger["id"])).status_code == 403
    assert (await issue(api, user["id"], user["id"])).status_code == 403
    events = await outbox_events(db, stranger["id"])
    assert [e["type"] for e in events] == ["UserRegistered"]


async def test_a_new_link_voids_the_old_and_dead_links_all_answer_alike(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    admin, user = await register(api), await register(api)
    await set_role(db, admin["id"], "ADMIN")
    first = (await issue(api, admin["id"], user["id"])).json()["token"]
    second = (await issue(api, admin["id"], user["id"])).json()["token"]
    async with db.begin() as conn:  # a third, issued and expired a day ago
        expired = secrets.token_urlsafe(32)
        await conn.execute(
            text(
                "INSERT INTO password_reset_links VALUES (:h, :u, :a, now() - interval '25 hours',"
                " now() - interval '1 hour', NULL, NULL)"
            ),
            {"h": hashlib.sha256(expired.encode()).hexdigest(), "u": user["id"], "a": admin["id"]},
        )

    answers = [await complete(api, token) for token in (first, expired, "no-existe")]
    assert {(a.status_code, a.json()["detail"]) for a in answers} == {(410, INVALID)}
    assert (await complete(api, second)).status_code == 200


async def test_a_disabled_account_cannot_use_its_link(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    admin, user = await register(api), await register(api)
    await set_role(db, admin["id"], "ADMIN")
    token = (await issue(api, admin["id"], user["id"])).json()["token"]
    disabled = await api.put(
        f"/api/users/{user['id']}/state", json={"disabled": True}, headers=as_actor(admin["id"])
    )
    assert disabled.status_code == 200

    answer = await complete(api, token)
    assert answer.status_code == 403 and "desactivada" in answer.json()["detail"]


async def test_guessing_links_is_limited_per_address(api: AsyncTestClient) -> None:
    headers = {CLIENT_ADDRESS_HEADER: f"10.9.{secrets.randbelow(250)}.{secrets.randbelow(250)}"}
    statuses = []
    for _ in range(40):
        answer = await api.post(
            "/api/password-resets/check", json={"token": secrets.token_urlsafe(32)}, headers=headers
        )
        statuses.append(answer.status_code)
        if answer.status_code == 429:
            assert int(answer.headers["Retry-After"]) > 0
            break
    assert statuses[0] == 410 and statuses[-1] == 429


async def test_an_admin_temporary_password_must_be_changed_at_next_login(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    admin, leader, user = await register(api), await register(api), await register(api)
    await set_role(db, admin["id"], "ADMIN")
    await set_role(db, leader["id"], "LEADER")
    path, body = f"/api/users/{user['id']}/temporary-password", {"password": "Temporal-Campana-1"}

    refused = await api.put(path, json=body, headers=as_actor(leader["id"]))
    weak = await api.put(path, json={"password": "123"}, headers=as_actor(admin["id"]))
    done = await api.put(path, json=body, headers=as_actor(admin["id"]))
    assert (refused.status_code, weak.status_code, done.status_code) == (403, 422, 204)

    logged = await login(api, user["cedula"], "Temporal-Campana-1")
    assert logged.status_code == 200 and logged.json()["must_change_password"] is True
    changed = await api.put(
        f"/api/users/{user['id']}/password",
        json={"current_password": "Temporal-Campana-1", "new_password": NEW},
        headers=as_actor(user["id"]),
    )
    assert changed.status_code == 204
    assert (await login(api, user["cedula"], NEW)).json()["must_change_password"] is False
    events = await outbox_events(db, user["id"])
    assert events[-1]["type"] == "TemporaryPasswordSet"
    assert events[-1]["data"] == {"user_id": user["id"], "set_by": admin["id"]}
