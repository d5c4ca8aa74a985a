"""Claims for a taken cédula through the API on real PostgreSQL: filing (stored open, its event
in the outbox, Spanish errors, limits per address and per cédula that name nobody), an ADMIN's
transfer (the claimant's account, a reset link that works, the former password dead) and
rejection, each once; nobody else may decide."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.client_address import CLIENT_ADDRESS_HEADER
from tests.integration.registration.support import as_actor, outbox_events, register, set_role
from tests.support.accounts import PASSWORD, new_cedula

NEW = "Guayacan-Florido-88"
CLAIMANT = {"nombre": "Rosa Elena Díaz", "telefono": "310 555 1234", "mensaje": "Es mi cédula."}


def address() -> str:
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


async def file(api: AsyncTestClient, cedula: str, at: str | None = None, **kw: str) -> Any:
    body = {"cedula": cedula, **CLAIMANT, **kw}
    return await api.post(
        "/api/claims", json=body, headers={CLIENT_ADDRESS_HEADER: at or address()}
    )


async def claim_row(db: AsyncEngine, claim_id: str) -> Any:
    async with db.connect() as conn:
        query = text("SELECT * FROM cedula_claims WHERE id = :id")
        return (await conn.execute(query, {"id": claim_id})).one()


async def test_a_claim_is_stored_open_and_its_event_waits_in_the_outbox(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    holder = await register(api)
    filed = await file(api, holder["cedula"])
    assert filed.status_code == 201, filed.text
    assert holder["nombre"] not in filed.text and holder["id"] not in filed.text
    row = await claim_row(db, filed.json()["claim_id"])
    assert (row.status, row.user_id, row.telefono) == (
        "abierto",
        uuid.UUID(holder["id"]),
        "3105551234",
    )
    [event] = [e for e in await outbox_events(db, holder["id"]) if e["type"] == "CedulaClaimFiled"]
    assert (
        event["data"]["nombre"] == "Rosa Elena Díaz" and event["data"]["cedula"] == holder["cedula"]
    )


async def test_a_claim_form_gets_spanish_messages_per_field(api: AsyncTestClient) -> None:
    answer = await file(api, "abc", nombre="", telefono="12", mensaje="")
    assert answer.status_code == 422
    fields = {e["field"]: e["message"] for e in answer.json()["errors"]}
    assert set(fields) == {"cedula", "nombre", "telefono", "mensaje"}
    free = await file(api, new_cedula())
    assert free.status_code == 422 and "Crear cuenta" in free.json()["errors"][0]["message"]


async def test_claims_are_limited_per_address_and_per_cedula(api: AsyncTestClient) -> None:
    # The defaults: 5 a day from one address, 3 a day about one cédula.
    holders = [await register(api) for _ in range(3)]
    here = address()
    for holder in holders:
        assert (await file(api, holder["cedula"], at=here)).status_code == 201
    assert (await file(api, new_cedula(), at=here)).status_code == 422  # counted too
    assert (await file(api, holders[0]["cedula"], at=here)).status_code == 201
    refused = await file(api, holders[1]["cedula"], at=here)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "desde esta conexión" in refused.json()["detail"]
    for _ in range(2):
        await file(api, holders[2]["cedula"])
    per_cedula = await file(api, holders[2]["cedula"])
    assert per_cedula.status_code == 429 and holders[2]["nombre"] not in per_cedula.text


async def test_an_admin_transfers_the_account_with_a_reset_link_that_works(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    admin, holder = await register(api), await register(api)
    await set_role(db, admin["id"], "ADMIN")
    await set_role(db, holder["id"], "LEADER")
    claim_id = (await file(api, holder["cedula"])).json()["claim_id"]

    moved = await api.post(f"/api/claims/{claim_id}/transfer", headers=as_actor(admin["id"]))
    assert moved.status_code == 201, moved.text
    assert moved.json()["user_id"] == holder["id"]
    token = moved.json()["token"]
    old = await api.post(
        "/api/sessions/verify", json={"cedula": holder["cedula"], "password": PASSWORD}
    )
    assert old.status_code == 401  # the former holder's password no longer opens it
    done = await api.post("/api/password-resets", json={"token": token, "new_password": NEW})
    assert done.status_code == 200
    assert (done.json()["nombre"], done.json()["telefono"], done.json()["role"]) == (
        "Rosa Elena Díaz",
        "3105551234",
        "USER",
    )
    row = await claim_row(db, claim_id)
    assert (row.status, row.resolved_by) == ("transferido", uuid.UUID(admin["id"]))
    kinds = [e["type"] for e in await outbox_events(db, holder["id"])]
    assert kinds[-5:] == [
        "UserProfileUpdated",
        "UserRoleChanged",
        "PasswordResetIssued",
        "CedulaClaimResolved",
        "PasswordResetCompleted",
    ]
    resolved = [
        e for e in await outbox_events(db, holder["id"]) if e["type"] == "CedulaClaimResolved"
    ]
    assert resolved[0]["data"]["resolved_by"] == admin["id"]
    assert token not in json.dumps(await outbox_events(db, holder["id"]))
    again = await api.post(f"/api/claims/{claim_id}/transfer", headers=as_actor(admin["id"]))
    assert again.status_code == 409 and again.json()["detail"] == "Este reclamo ya fue resuelto."


async def test_an_admin_rejects_with_a_reason_and_the_account_stays(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    admin, holder = await register(api), await register(api)
    await set_role(db, admin["id"], "ADMIN")
    claim_id = (await file(api, holder["cedula"])).json()["claim_id"]
    path, headers = f"/api/claims/{claim_id}/reject", as_actor(admin["id"])
    empty = await api.post(path, json={"reason": ""}, headers=headers)
    assert empty.status_code == 422 and empty.json()["detail"] == "Motivo: es obligatorio."
    rejected = await api.post(path, json={"reason": "No presentó pruebas."}, headers=headers)
    assert rejected.status_code == 204
    row = await claim_row(db, claim_id)
    assert (row.status, row.reason) == ("rechazado", "No presentó pruebas.")
    login = {"cedula": holder["cedula"], "password": PASSWORD}
    assert (await api.post("/api/sessions/verify", json=login)).status_code == 200


@pytest.mark.parametrize("role", ["USER", "LEADER"])
async def test_only_an_admin_decides_a_claim(
    api: AsyncTestClient, db: AsyncEngine, role: str
) -> None:
    someone, holder = await register(api), await register(api)
    await set_role(db, someone["id"], role)
    claim_id = (await file(api, holder["cedula"])).json()["claim_id"]
    headers = as_actor(someone["id"])
    moved = await api.post(f"/api/claims/{claim_id}/transfer", headers=headers)
    rejected = await api.post(
        f"/api/claims/{claim_id}/reject", json={"reason": "x"}, headers=headers
    )
    assert (moved.status_code, rejected.status_code) == (403, 403)
    assert (await claim_row(db, claim_id)).status == "abierto"
    unknown = await api.post(f"/api/claims/{uuid.uuid4()}/transfer", headers=headers)
    assert unknown.status_code == 403  # nobody but an ADMIN learns which claims exist
