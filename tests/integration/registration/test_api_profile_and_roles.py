"""Profile, password and role changes: who may make them, what they emit, how they are refused."""

from __future__ import annotations

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.registration.support import as_actor, outbox_events, register, set_role
from tests.support.accounts import PASSWORD


async def test_owner_updates_profile_and_emits_user_profile_updated(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    user = await register(api)
    response = await api.patch(
        f"/api/users/{user['id']}",
        json={"nombre": "María F. Gómez", "referral_goal": 25},
        headers=as_actor(user["id"]),
    )
    assert response.status_code == 422  # "F." has a dot
    assert response.json()["errors"][0]["field"] == "nombre"
    response = await api.patch(
        f"/api/users/{user['id']}",
        json={"nombre": "María Gómez", "referral_goal": 25},
        headers=as_actor(user["id"]),
    )
    assert response.status_code == 200
    assert (response.json()["nombre"], response.json()["referral_goal"]) == ("María Gómez", 25)
    events = await outbox_events(db, user["id"])
    assert [e["type"] for e in events] == ["UserRegistered", "UserProfileUpdated"]
    assert events[1]["data"] == {
        "user_id": user["id"],
        "nombre": "María Gómez",
        "telefono": "3105550101",
        "referral_goal": 25,
    }


async def test_profile_without_changes_emits_nothing(api: AsyncTestClient, db: AsyncEngine) -> None:
    user = await register(api)
    response = await api.patch(
        f"/api/users/{user['id']}", json={"telefono": "3105550101"}, headers=as_actor(user["id"])
    )
    assert response.status_code == 200
    assert len(await outbox_events(db, user["id"])) == 1


async def test_referral_goal_out_of_range_is_422(api: AsyncTestClient) -> None:
    user = await register(api)
    response = await api.patch(
        f"/api/users/{user['id']}", json={"referral_goal": 0}, headers=as_actor(user["id"])
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "Meta de referidos: debe estar entre 1 y 10.000."


async def test_nobody_else_edits_a_profile(api: AsyncTestClient) -> None:
    user, other = await register(api), await register(api)
    response = await api.patch(
        f"/api/users/{user['id']}", json={"nombre": "Otro Nombre"}, headers=as_actor(other["id"])
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "No tiene permiso para esta acción."


async def test_calls_on_behalf_of_a_user_need_a_known_actor(api: AsyncTestClient) -> None:
    user = await register(api)
    no_actor = await api.patch(f"/api/users/{user['id']}", json={"nombre": "Otro Nombre"})
    ghost = await api.patch(
        f"/api/users/{user['id']}",
        json={"nombre": "Otro Nombre"},
        headers=as_actor("00000000-0000-0000-0000-000000000001"),
    )
    assert no_actor.status_code == ghost.status_code == 401


async def test_password_change_needs_the_current_password(api: AsyncTestClient) -> None:
    user = await register(api)
    url, me = f"/api/users/{user['id']}/password", as_actor(user["id"])
    wrong = await api.put(
        url, json={"current_password": "nope-nope", "new_password": "Nueva-Clave-88"}, headers=me
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "current_password"
    weak = await api.put(
        url, json={"current_password": PASSWORD, "new_password": "password123"}, headers=me
    )
    assert weak.status_code == 422 and weak.json()["detail"].startswith("Contraseña nueva: ")
    ok = await api.put(
        url, json={"current_password": PASSWORD, "new_password": "Nueva-Clave-88"}, headers=me
    )
    assert ok.status_code == 204
    login = await api.post(
        "/api/sessions/verify", json={"cedula": user["cedula"], "password": "Nueva-Clave-88"}
    )
    assert login.status_code == 200


async def test_only_an_admin_changes_roles(api: AsyncTestClient, db: AsyncEngine) -> None:
    user, leader = await register(api), await register(api)
    await set_role(db, leader["id"], "LEADER")
    for actor in (user, leader):
        response = await api.put(
            f"/api/users/{user['id']}/role", json={"role": "LEADER"}, headers=as_actor(actor["id"])
        )
        assert response.status_code == 403


async def test_admin_changes_a_role_and_emits_user_role_changed(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    admin, user = await register(api), await register(api)
    await set_role(db, admin["id"], "ADMIN")
    url = f"/api/users/{user['id']}/role"
    bad = await api.put(url, json={"role": "JEFE"}, headers=as_actor(admin["id"]))
    assert bad.status_code == 422 and bad.json()["detail"] == "Rol: debe ser USER, LEADER o ADMIN."
    response = await api.put(url, json={"role": "leader"}, headers=as_actor(admin["id"]))
    assert response.status_code == 200 and response.json()["role"] == "LEADER"
    changed = (await outbox_events(db, user["id"]))[-1]
    assert changed["type"] == "UserRoleChanged"
    assert changed["data"] == {
        "user_id": user["id"],
        "role": "LEADER",
        "previous_role": "USER",
        "changed_by": admin["id"],
    }


async def test_admin_learns_when_the_user_does_not_exist(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    admin = await register(api)
    await set_role(db, admin["id"], "ADMIN")
    response = await api.put(
        "/api/users/00000000-0000-0000-0000-000000000002/role",
        json={"role": "USER"},
        headers=as_actor(admin["id"]),
    )
    assert response.status_code == 404
