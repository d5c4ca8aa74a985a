"""Someone else's id in a URL, a form or a JSON body: refused, and nothing about that person leaks
or changes (no census card, no CSV row, no validation request, no profile, password or role)."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

import httpx
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.integration.web.support import register
from tests.security.conftest import Cast, People, log_in, play
from tests.support.accounts import PASSWORD

STRANGER_NAME = "Extraño Ajeno Pérez"


async def validation_requests(engine: AsyncEngine, cedula: str) -> int:
    """ValidationRequested events written for this cédula (the outbox keeps sent rows too);
    sealed ones are keyed by the person's user id."""
    query = (
        "SELECT count(*) FROM outbox WHERE event_type = 'ValidationRequested' AND (key = :key"
        " OR key IN (SELECT convert_to(id::text, 'UTF8') FROM users WHERE cedula = :cedula))"
    )
    async with engine.connect() as conn:
        return await conn.scalar(text(query), {"key": cedula.encode(), "cedula": cedula})


async def account(engine: AsyncEngine, user_id: str) -> Any:
    async with engine.connect() as conn:
        query = "SELECT nombre, telefono, role, password_hash FROM users WHERE id = :id"
        return (await conn.execute(text(query), {"id": user_id})).one()


async def referrer_of(engine: AsyncEngine, user_id: str) -> Any:
    async with engine.connect() as conn:
        query = "SELECT referrer_id FROM users WHERE id = :id"
        return await conn.scalar(text(query), {"id": user_id})


def form(browser_cookies: httpx.Cookies, **fields: Any) -> dict[str, Any]:
    return {"_csrf_token": browser_cookies["censo_csrf"], **fields}


# --- the web pages


@pytest.mark.parametrize("role", ["USER", "LEADER"])
@pytest.mark.parametrize("path", ["/censo/{id}", "/referidos/fila/{id}", "/admin/usuarios/{id}"])
async def test_pages_about_another_leaders_referral_show_nothing_of_them(
    site: httpx.AsyncClient, cast: Cast, role: str, path: str
) -> None:
    play(site, cast.browsers[role].cookies)
    response = await site.get(path.format(id=cast.foreign["id"]))
    assert response.status_code == 403
    assert cast.foreign["cedula"] not in response.text
    assert cast.foreign["referral_code"] not in response.text


@pytest.mark.parametrize("role", ["USER", "LEADER"])
async def test_refreshing_someone_elses_census_queues_nothing(
    site: httpx.AsyncClient, cast: Cast, registration_engine: AsyncEngine, role: str
) -> None:
    browser = cast.browsers[role]
    before = await validation_requests(registration_engine, cast.foreign["cedula"])
    play(site, browser.cookies)
    path = f"/censo/{cast.foreign['id']}/actualizar"
    response = await site.post(path, data=form(browser.cookies))
    assert response.status_code == 403
    assert await validation_requests(registration_engine, cast.foreign["cedula"]) == before


async def test_a_bulk_refresh_naming_a_foreign_referral_queues_only_the_leaders_own(
    site: httpx.AsyncClient, cast: Cast, registration_engine: AsyncEngine
) -> None:
    leader = cast.browsers["LEADER"]
    own, foreign = leader.referral, cast.foreign
    counts = [await validation_requests(registration_engine, u["cedula"]) for u in (own, foreign)]
    play(site, leader.cookies)
    ids = [own["id"], foreign["id"], str(uuid.uuid4())]
    response = await site.post("/referidos/actualizar", data=form(leader.cookies, user_ids=ids))
    assert response.status_code == 202
    assert "Se solicitó la verificación de 1 referido." in response.text
    assert "2 no se pudieron solicitar" in response.text
    after = [await validation_requests(registration_engine, u["cedula"]) for u in (own, foreign)]
    assert after == [counts[0] + 1, counts[1]]


async def test_refresh_all_ignores_a_referrer_slipped_into_the_form(
    site: httpx.AsyncClient, cast: Cast, people: People, registration_engine: AsyncEngine
) -> None:
    leader = cast.browsers["LEADER"]
    before = await validation_requests(registration_engine, cast.foreign["cedula"])
    play(site, leader.cookies)
    slipped = {"referrer_id": cast.foreign["id"], "user_id": cast.foreign["id"], "user_ids": []}
    response = await site.post("/referidos/actualizar-todos", data=form(leader.cookies, **slipped))
    assert response.status_code == 202
    assert await validation_requests(registration_engine, cast.foreign["cedula"]) == before


@pytest.mark.parametrize("role", ["USER", "LEADER", "ADMIN"])
async def test_the_csv_export_lists_only_the_callers_own_referrals(
    site: httpx.AsyncClient, cast: Cast, role: str
) -> None:
    browser = cast.browsers[role]
    play(site, browser.cookies)
    params = {"referrer_id": cast.foreign["id"], "user_id": cast.foreign["id"], "busqueda": ""}
    response = await site.get("/referidos.csv", params=params)
    assert response.status_code == 200
    assert browser.referral["cedula"] in response.text
    assert cast.foreign["cedula"] not in response.text
    has_census_columns = "Estado" in response.text.splitlines()[0]
    assert has_census_columns == (role != "USER")


async def test_a_profile_form_naming_another_user_changes_only_ones_own(
    site: httpx.AsyncClient,
    registration: AsyncTestClient,
    cast: Cast,
    registration_engine: AsyncEngine,
) -> None:
    me = await register(registration)
    cookies = await log_in(site, me["cedula"])
    play(site, cookies)
    foreign_before = await account(registration_engine, cast.foreign["id"])
    fields = {"nombre": STRANGER_NAME, "telefono": "3001112233", "referral_goal": "20"}
    response = await site.post(
        "/perfil", data=form(cookies, user_id=cast.foreign["id"], id=cast.foreign["id"], **fields)
    )
    assert response.status_code == 303
    assert await account(registration_engine, cast.foreign["id"]) == foreign_before
    assert (await account(registration_engine, me["id"])).nombre == STRANGER_NAME


@pytest.mark.parametrize("caller", ["USER", "LEADER", "holder"])
async def test_no_one_but_an_admin_sees_or_decides_a_claim_not_even_the_accounts_holder(
    site: httpx.AsyncClient,
    registration: AsyncTestClient,
    cast: Cast,
    registration_engine: AsyncEngine,
    sync_read_model: Any,
    caller: str,
) -> None:
    holder = await register(registration)
    claimant = {"nombre": "Reclamante Secreto", "telefono": "3104445566", "mensaje": "Es mía."}
    filed = await registration.post("/api/claims", json={"cedula": holder["cedula"], **claimant})
    claim_id = filed.json()["claim_id"]
    await sync_read_model()
    cookies = (
        await log_in(site, holder["cedula"])
        if caller == "holder"
        else cast.browsers[caller].cookies
    )
    play(site, cookies)
    for path in ("/admin/reclamos", "/admin/reclamos/aviso", "/admin/reclamos?estado=todos"):
        response = await site.get(path)
        assert response.status_code == 403 and "Reclamante Secreto" not in response.text
        assert "3104445566" not in response.text
    for action in ("transferir", "rechazar"):
        data = form(cookies, motivo="no")
        response = await site.post(f"/admin/reclamos/{claim_id}/{action}", data=data)
        assert response.status_code == 403
    async with registration_engine.connect() as conn:
        query = text("SELECT status FROM cedula_claims WHERE id = :id")
        assert await conn.scalar(query, {"id": claim_id}) == "abierto"
    assert (await account(registration_engine, holder["id"])).nombre == holder["nombre"]


# --- the registration API, with the acting user in X-Actor-Id


def acting(user: dict[str, Any] | str) -> dict[str, str]:
    return {"X-Actor-Id": user["id"] if isinstance(user, dict) else user}


@pytest.mark.parametrize(
    "actor", ["00000000-0000-4000-8000-000000000000", "not-a-uuid", "", "1 OR 1=1"]
)
async def test_an_unknown_or_malformed_actor_is_refused(
    registration: AsyncTestClient, people: People, actor: str
) -> None:
    response = await registration.post(
        "/api/validation-requests", json={"user_id": people.foreign["id"]}, headers=acting(actor)
    )
    assert response.status_code == 401


@pytest.mark.parametrize("role", ["USER", "LEADER"])
async def test_no_one_edits_another_users_profile_password_role_or_referrals(
    registration: AsyncTestClient, people: People, registration_engine: AsyncEngine, role: str
) -> None:
    actor, victim = people.members[role], people.referrals[role]
    before = await account(registration_engine, victim["id"])
    attempts = [
        ("PATCH", f"/api/users/{victim['id']}", {"nombre": STRANGER_NAME}),
        (
            "PUT",
            f"/api/users/{victim['id']}/password",
            {"current_password": PASSWORD, "new_password": "Robada-Clave-2026"},
        ),
        ("PUT", f"/api/users/{victim['id']}/role", {"role": "ADMIN"}),
        ("PUT", f"/api/users/{actor['id']}/role", {"role": "ADMIN"}),  # promoting oneself
        ("PATCH", f"/api/users/{victim['id']}/account", {"nombre": STRANGER_NAME}),
        ("PATCH", f"/api/users/{actor['id']}/account", {"cedula": people.foreign["cedula"]}),
        (  # taking someone's referrals over
            "POST",
            "/api/referrals/hand-over",
            {"from_leader_id": people.members["LEADER"]["id"], "to_leader_id": actor["id"]},
        ),
    ]
    for method, path, body in attempts:
        response = await registration.request(method, path, json=body, headers=acting(actor))
        assert response.status_code == 403, (method, path)
    assert await account(registration_engine, victim["id"]) == before
    assert (await account(registration_engine, actor["id"])).role == role
    assert await referrer_of(registration_engine, victim["id"]) == UUID(actor["id"])


@pytest.mark.parametrize("role", ["USER", "LEADER"])
async def test_validation_requests_for_someone_else_queue_nothing(
    registration: AsyncTestClient, people: People, registration_engine: AsyncEngine, role: str
) -> None:
    actor, target = people.members[role], people.foreign
    before = await validation_requests(registration_engine, target["cedula"])
    single = await registration.post(
        "/api/validation-requests", json={"user_id": target["id"]}, headers=acting(actor)
    )
    bulk = await registration.post(
        "/api/validation-requests/bulk",
        json={"user_ids": [target["id"], str(uuid.uuid4())]},
        headers=acting(actor),
    )
    assert single.status_code == 403
    assert bulk.status_code == 202 and bulk.json()["queued"] == []
    # a stranger and a user that does not exist are refused alike: existence is not revealed
    assert {r["reason"] for r in bulk.json()["refused"]} == {"no_permitido"}
    assert await validation_requests(registration_engine, target["cedula"]) == before
