"""An ADMIN's edits and hand-overs through the API on real PostgreSQL: what is stored and what
the outbox holds; a cédula taken between the check and the write answers 409 through the unique
index; a hand-over moves the referrals with one event each."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.events import Role
from services.registration.adapters.users_repository import UserRepository
from services.registration.domain.errors import CedulaAlreadyRegistered
from services.registration.domain.model import User
from tests.integration.registration.support import as_actor, outbox_events, register, set_role
from tests.support.accounts import new_cedula


async def admin_and_user(api: AsyncTestClient, db: AsyncEngine) -> tuple[dict, dict]:
    admin, user = await register(api), await register(api)
    await set_role(db, admin["id"], "ADMIN")
    return admin, user


async def test_an_admin_corrects_a_cedula_and_the_outbox_asks_for_its_lookup(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    admin, user = await admin_and_user(api, db)
    corrected = new_cedula()

    answer = await api.patch(
        f"/api/users/{user['id']}/account",
        json={"cedula": corrected, "nombre": "Nombre Corregido"},
        headers=as_actor(admin["id"]),
    )

    assert answer.status_code == 200 and answer.json()["cedula"] == corrected
    events = await outbox_events(db, user["id"])  # sealed: keyed by the person, never the cédula
    kinds = [event["type"] for event in events]
    assert kinds[-3:] == ["UserEditedByAdmin", "UserCedulaCorrected", "ValidationRequested"]
    assert events[-1]["data"]["cedula"] == corrected
    assert await outbox_events(db, corrected) == []


async def test_a_cedula_taken_meanwhile_is_refused_by_the_unique_index(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    _, user = await admin_and_user(api, db)
    other = await register(api)
    async with db.connect() as conn:
        repository = UserRepository(conn)  # type: ignore[arg-type]  # executes like a session
        row = (await conn.execute(text("SELECT * FROM users WHERE id = :id"), user)).one()
        fields = {k: v for k, v in row._mapping.items() if k != "updated_at"}
        try:
            taken = fields | {"cedula": other["cedula"], "role": Role(fields["role"])}
            await repository.save(User(**taken))
        except CedulaAlreadyRegistered:
            pass
        else:
            raise AssertionError("the unique index let a taken cédula through")


async def test_a_taken_cedula_answers_409_in_spanish(api: AsyncTestClient, db: AsyncEngine) -> None:
    admin, user = await admin_and_user(api, db)
    other = await register(api)

    answer = await api.patch(
        f"/api/users/{user['id']}/account",
        json={"cedula": other["cedula"]},
        headers=as_actor(admin["id"]),
    )

    assert answer.status_code == 409
    assert answer.json()["errors"][0] == {
        "field": "cedula",
        "message": "Cédula: ya existe una cuenta registrada con esta cédula.",
    }


async def test_a_hand_over_moves_the_referrals_in_the_database_with_one_event_each(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    admin, old = await admin_and_user(api, db)
    new = await register(api)
    for leader in (old, new):
        await set_role(db, leader["id"], "LEADER")
    referrals = [await register(api, referral_code=old["referral_code"]) for _ in range(3)]

    answer = await api.post(
        "/api/referrals/hand-over",
        json={"from_leader_id": old["id"], "to_leader_id": new["id"]},
        headers=as_actor(admin["id"]),
    )

    assert answer.status_code == 200
    assert sorted(answer.json()["moved"]) == sorted(r["id"] for r in referrals)
    async with db.connect() as conn:
        leaders = (
            await conn.execute(
                text("SELECT DISTINCT referrer_id FROM users WHERE id = ANY(:ids)"),
                {"ids": [r["id"] for r in referrals]},
            )
        ).scalars()
        assert [str(leader) for leader in leaders] == [new["id"]]
    for referral in referrals:
        last: Any = (await outbox_events(db, referral["id"]))[-1]
        assert last["type"] == "ReferralHandedOver"
        assert (last["data"]["from_leader_id"], last["data"]["to_leader_id"]) == (
            old["id"],
            new["id"],
        )
    refused = await api.post(
        "/api/referrals/hand-over",
        json={"from_leader_id": old["id"], "to_leader_id": new["id"]},
        headers=as_actor(admin["id"]),
    )
    assert refused.status_code == 422  # nobody left to move
