"""Validation requests: the RBAC rules, the bulk answer, the events and the per-actor rate limit."""

from __future__ import annotations

from uuid import uuid4

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.registration.conftest import make_settings, open_client
from tests.integration.registration.support import as_actor, outbox_events, register, set_role

SINGLE, BULK = "/api/validation-requests", "/api/validation-requests/bulk"


async def request(api: AsyncTestClient, actor: dict, target_id: str):
    return await api.post(SINGLE, json={"user_id": target_id}, headers=as_actor(actor["id"]))


async def test_anyone_may_refresh_themselves(api: AsyncTestClient, db: AsyncEngine) -> None:
    user = await register(api)
    response = await request(api, user, user["id"])
    assert response.status_code == 202
    assert response.json()["queued"] == [user["id"]] and response.json()["refused"] == []
    # Sealed: keyed by user id (never the cédula), after the person's UserRegistered.
    _, event = await outbox_events(db, user["id"])
    assert event["type"] == "ValidationRequested"
    assert event["correlation_id"] == response.json()["correlation_id"]
    assert event["data"] == {
        "user_id": user["id"],
        "cedula": user["cedula"],
        "reason": "refresh",
        "requested_by": user["id"],
    }


async def test_user_gets_the_same_403_for_others_and_for_nobody(api: AsyncTestClient) -> None:
    user, other = await register(api), await register(api)
    someone = await request(api, user, other["id"])
    nobody = await request(api, user, str(uuid4()))
    assert someone.status_code == nobody.status_code == 403
    assert someone.json() == nobody.json()


async def test_leader_refreshes_direct_referrals_only(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    leader = await register(api)
    await set_role(db, leader["id"], "LEADER")
    referred = await register(api, referral_code=leader["referral_code"])
    second_level = await register(api, referral_code=referred["referral_code"])
    assert (await request(api, leader, referred["id"])).status_code == 202
    assert (await request(api, leader, second_level["id"])).status_code == 403


async def test_admin_refreshes_anyone_and_learns_who_does_not_exist(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    admin, user = await register(api), await register(api)
    await set_role(db, admin["id"], "ADMIN")
    assert (await request(api, admin, user["id"])).status_code == 202
    assert (await request(api, admin, str(uuid4()))).status_code == 404


async def test_bulk_answers_what_was_queued_and_what_was_refused(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    leader, stranger = await register(api), await register(api)
    await set_role(db, leader["id"], "LEADER")
    referred = [await register(api, referral_code=leader["referral_code"]) for _ in range(3)]
    ghost = str(uuid4())
    targets = [r["id"] for r in referred] + [stranger["id"], ghost, referred[0]["id"]]
    response = await api.post(BULK, json={"user_ids": targets}, headers=as_actor(leader["id"]))
    assert response.status_code == 202
    body = response.json()
    assert body["queued"] == [r["id"] for r in referred]
    assert {r["user_id"]: r["reason"] for r in body["refused"]} == {
        stranger["id"]: "no_permitido",
        ghost: "no_permitido",
    }
    for person in referred:
        _, event = await outbox_events(db, person["id"])
        assert (
            event["data"]["reason"] == "bulk_refresh"
            and event["correlation_id"] == body["correlation_id"]
        )


async def test_bulk_size_is_limited(api: AsyncTestClient) -> None:
    user = await register(api)
    too_many = await api.post(
        BULK, json={"user_ids": [str(uuid4()) for _ in range(1001)]}, headers=as_actor(user["id"])
    )
    empty = await api.post(BULK, json={"user_ids": []}, headers=as_actor(user["id"]))
    assert too_many.status_code == empty.status_code == 422
    assert too_many.json()["detail"] == "Usuarios: indique entre 1 y 1.000 usuarios."


async def test_bulk_of_a_thousand_is_accepted(api: AsyncTestClient, db: AsyncEngine) -> None:
    admin = await register(api)
    await set_role(db, admin["id"], "ADMIN")
    response = await api.post(
        BULK,
        json={"user_ids": [str(uuid4()) for _ in range(999)] + [admin["id"]]},
        headers=as_actor(admin["id"]),
    )
    assert response.status_code == 202
    assert response.json()["queued"] == [admin["id"]] and len(response.json()["refused"]) == 999


async def test_reason_registration_is_not_for_callers(api: AsyncTestClient) -> None:
    user = await register(api)
    response = await api.post(
        SINGLE, json={"user_id": user["id"], "reason": "registration"}, headers=as_actor(user["id"])
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "reason"


async def test_actor_is_rate_limited_with_retry_after(registration_db: str) -> None:
    settings = make_settings(
        registration_db, validation_targets_per_window=3, bulk_max_targets=3, validation_window_s=60
    )
    async with await open_client(settings) as client:
        user = await register(client)
        statuses = [(await request(client, user, user["id"])).status_code for _ in range(4)]
        limited = await request(client, user, user["id"])
    assert statuses == [202, 202, 202, 429]
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert limited.json()["detail"].startswith("Usuarios: se pidió verificar demasiadas cédulas")


async def test_the_limit_counts_the_cedulas_asked_for_not_the_calls(
    registration_db: str, db: AsyncEngine
) -> None:
    settings = make_settings(
        registration_db, validation_targets_per_window=4, bulk_max_targets=4, validation_window_s=60
    )
    async with await open_client(settings) as client:
        admin = await register(client)
        await set_role(db, admin["id"], "ADMIN")
        people = [await register(client) for _ in range(4)]
        headers = as_actor(admin["id"])
        three = {"user_ids": [p["id"] for p in people[:3]], "reason": "bulk_refresh"}
        first = await client.post(BULK, json=three, headers=headers)
        again = await client.post(BULK, json=three, headers=headers)  # 6 > 4: refused whole
        one_more = await request(client, admin, people[3]["id"])  # 4: still fits
    assert (first.status_code, again.status_code, one_more.status_code) == (202, 429, 202)
