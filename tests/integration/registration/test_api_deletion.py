"""Deleting an account through the API on real PostgreSQL: the key and every personal field go,
UserDeleted carries none, the person's earlier events open erased; the keys endpoint says so."""

from __future__ import annotations

from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.registration.support import as_actor, outbox_events, register, set_role


async def keys_of(api: AsyncTestClient, *user_ids: str) -> dict[str, str]:
    response = await api.get("/api/person-keys", params=[("user_id", u) for u in user_ids])
    assert response.status_code == 200, response.text
    return response.json()["keys"]


async def test_a_person_deletes_their_account_and_nothing_personal_is_left(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    leader = await register(api)
    person = await register(api, referral_code=leader["referral_code"])
    assert set(await keys_of(api, person["id"], leader["id"])) == {person["id"], leader["id"]}
    response = await api.delete(f"/api/users/{person['id']}", headers=as_actor(person["id"]))
    assert response.status_code == 204, response.text
    assert set(await keys_of(api, person["id"], leader["id"])) == {leader["id"]}
    registered, deleted = await outbox_events(db, person["id"])
    assert registered["data"]["nombre"] == "Cuenta eliminada"
    assert registered["data"]["cedula"] == "" and registered["data"]["telefono"] == ""
    assert deleted["type"] == "UserDeleted" and deleted["data"]["deleted_by"] == person["id"]
    async with db.connect() as conn:
        dump = await conn.scalar(text("SELECT string_agg(t::text, ' ') FROM users t"))
        mine = await conn.scalar(text("SELECT t::text FROM users t WHERE id = :id"), person)
        outbox = await conn.scalar(text("SELECT string_agg(value::text, ' ') FROM outbox"))
        row = (
            await conn.execute(text("SELECT * FROM users WHERE id = :id"), {"id": person["id"]})
        ).one()
    assert person["cedula"] not in dump  # the test forms share one name and phone: see `mine`
    for personal in (person["cedula"], person["nombre"], person["telefono"]):
        assert personal not in mine
    assert person["cedula"].encode().hex() not in (outbox or "")
    assert row.referrer_id is not None and row.disabled_at is not None
    login = await api.post(
        "/api/sessions/verify", json={"cedula": person["cedula"], "password": "x"}
    )
    assert login.status_code in (401, 422)


async def test_an_admin_deletes_an_account_and_a_leader_may_not(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    admin, leader = await register(api), await register(api)
    person = await register(api, referral_code=leader["referral_code"])
    await set_role(db, admin["id"], "ADMIN")
    await set_role(db, leader["id"], "LEADER")
    refused = await api.delete(f"/api/users/{person['id']}", headers=as_actor(leader["id"]))
    assert refused.status_code == 403
    done = await api.delete(f"/api/users/{person['id']}", headers=as_actor(admin["id"]))
    assert done.status_code == 204
    assert await keys_of(api, person["id"]) == {}
