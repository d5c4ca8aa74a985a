"""Disabling and enabling accounts through the API, and the last active ADMIN, on real PostgreSQL
(and Kafka for the events): who may, what is emitted, what a disabled account can still do, and
two changes racing to remove the last two admins."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.events import Role
from schemas.topics import ACCOUNTS
from services.common.db import make_engine, make_sessionmaker
from services.registration.adapters.unit_of_work import SqlUnitOfWork
from services.registration.domain.commands import ChangeRole, SetAccountState
from services.registration.domain.errors import LastActiveAdmin
from services.registration.domain.model import Actor
from services.registration.service_layer.account_state import (
    keep_an_active_admin,
    set_account_state,
)
from services.registration.service_layer.roles import change_role
from tests.integration.registration.conftest import RunningRelay, make_settings, open_client
from tests.integration.registration.support import (
    as_actor,
    eventually,
    outbox_events,
    read_topic,
    register,
    set_role,
    unsent,
)
from tests.support.accounts import PASSWORD

DISABLED = "Esta cuenta está desactivada. Comuníquese con la campaña."


async def put_state(api: AsyncTestClient, actor: str, user: str, disabled: bool) -> Any:
    return await api.put(
        f"/api/users/{user}/state", json={"disabled": disabled}, headers=as_actor(actor)
    )


def set_role_via_api(api: AsyncTestClient, actor: dict, user: dict, role: str) -> Any:
    return api.put(
        f"/api/users/{user['id']}/role", json={"role": role}, headers=as_actor(actor["id"])
    )


async def login(api: AsyncTestClient, cedula: str, password: str = PASSWORD) -> Any:
    return await api.post("/api/sessions/verify", json={"cedula": cedula, "password": password})


async def test_an_admin_disables_and_enables_an_account_and_each_change_is_an_event(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    admin, user = await register(api), await register(api)
    await set_role(db, admin["id"], "ADMIN")

    disabled = await put_state(api, admin["id"], user["id"], True)
    again = await put_state(api, admin["id"], user["id"], True)
    enabled = await put_state(api, admin["id"], user["id"], False)

    assert disabled.status_code == 200 and disabled.json()["disabled_at"] is not None
    assert again.status_code == 200 and enabled.json()["disabled_at"] is None
    events = await outbox_events(db, user["id"])
    assert [e["type"] for e in events] == ["UserRegistered", "UserDisabled", "UserEnabled"]
    by = {"user_id": user["id"], "operator": None}
    assert events[1]["data"] == by | {"disabled_by": admin["id"]}
    assert events[2]["data"] == by | {"enabled_by": admin["id"]}


async def test_only_an_admin_disables_an_account(api: AsyncTestClient, db: AsyncEngine) -> None:
    user, leader, target = await register(api), await register(api), await register(api)
    await set_role(db, leader["id"], "LEADER")
    for actor in (user, leader, target):
        assert (await put_state(api, actor["id"], target["id"], True)).status_code == 403
    assert len(await outbox_events(db, target["id"])) == 1


async def test_a_disabled_account_is_told_so_only_with_its_right_password(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    admin, user = await register(api), await register(api)
    await set_role(db, admin["id"], "ADMIN")
    await put_state(api, admin["id"], user["id"], True)

    wrong = await login(api, user["cedula"], "Otra-Clave-2026")
    right = await login(api, user["cedula"])

    assert wrong.status_code == 401 and "desactivada" not in wrong.text
    assert right.status_code == 403 and right.json()["detail"] == DISABLED
    await put_state(api, admin["id"], user["id"], False)
    assert (await login(api, user["cedula"])).status_code == 200


async def test_a_disabled_account_can_no_longer_act(api: AsyncTestClient, db: AsyncEngine) -> None:
    admin, user = await register(api), await register(api)
    await set_role(db, admin["id"], "ADMIN")
    await put_state(api, admin["id"], user["id"], True)

    response = await api.patch(
        f"/api/users/{user['id']}", json={"referral_goal": 20}, headers=as_actor(user["id"])
    )

    assert response.status_code == 403 and response.json()["detail"] == DISABLED


async def test_referrals_stay_attached_to_a_disabled_leader(
    api: AsyncTestClient, db: AsyncEngine
) -> None:
    admin, leader = await register(api), await register(api)
    await set_role(db, admin["id"], "ADMIN")
    referral = await register(api, referral_code=leader["referral_code"])
    await put_state(api, admin["id"], leader["id"], True)
    async with db.connect() as conn:
        referrer = await conn.scalar(
            text("SELECT referrer_id FROM users WHERE id = :id"), {"id": referral["id"]}
        )
    assert str(referrer) == leader["id"]


@pytest.fixture
async def own_api(fresh_db: str) -> Any:
    """An API on a database of its own, whose ADMINs the test alone makes."""
    async with await open_client(make_settings(fresh_db)) as client:
        yield client


async def _active_admins(url: str) -> int:
    engine = make_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            query = "SELECT count(*) FROM users WHERE role = 'ADMIN' AND disabled_at IS NULL"
            return int(await conn.scalar(text(query)) or 0)
    finally:
        await engine.dispose()


async def test_the_last_active_admin_can_be_neither_demoted_nor_disabled(
    own_api: AsyncTestClient, fresh_db: str
) -> None:
    engine = make_engine(fresh_db, pool_size=1)
    admin, other = await register(own_api), await register(own_api)
    await set_role(engine, admin["id"], "ADMIN")
    await engine.dispose()

    demoted = await own_api.put(
        f"/api/users/{admin['id']}/role", json={"role": "LEADER"}, headers=as_actor(admin["id"])
    )
    disabled = await put_state(own_api, admin["id"], admin["id"], True)

    for answer in (demoted, disabled):
        assert answer.status_code == 409
        assert "única de administrador activa" in answer.json()["detail"]
    promoted = await own_api.put(
        f"/api/users/{other['id']}/role", json={"role": "ADMIN"}, headers=as_actor(admin["id"])
    )
    assert promoted.status_code == 200
    assert (await put_state(own_api, other["id"], admin["id"], True)).status_code == 200
    assert (await put_state(own_api, other["id"], other["id"], True)).status_code == 409
    assert await _active_admins(fresh_db) == 1


async def test_two_admins_removing_each_other_at_once_leave_one(
    own_api: AsyncTestClient, fresh_db: str
) -> None:
    """Through the API, ten rounds: the last two admins demote or disable each other at the same
    time; one change passes, the other is refused (409, or 403 when its actor is already
    demoted or disabled), and one active admin is always left."""
    engine = make_engine(fresh_db, pool_size=1)
    survivor = await register(own_api)
    await set_role(engine, survivor["id"], "ADMIN")
    await engine.dispose()
    for round_ in range(10):
        other = await register(own_api)
        promote = await set_role_via_api(own_api, survivor, other, "ADMIN")
        assert promote.status_code == 200
        first = set_role_via_api(own_api, survivor, other, "USER")
        second = (
            put_state(own_api, other["id"], survivor["id"], True)
            if round_ % 2
            else set_role_via_api(own_api, other, survivor, "LEADER")
        )
        answers = await asyncio.gather(first, second)
        codes = sorted(answer.status_code for answer in answers)
        assert codes[0] == 200 and codes[1] in (403, 409), codes
        assert await _active_admins(fresh_db) == 1
        if answers[1].status_code == 200:  # the other one is the admin now
            survivor = other


async def test_a_removal_waits_for_the_one_in_flight_and_then_counts_one_admin(
    fresh_db: str, own_api: AsyncTestClient
) -> None:
    """The lock itself: while one transaction has demoted an admin (not committed yet), a second
    removal waits; once the first commits it counts one admin left and is refused. Without the
    lock it would have counted two and passed, leaving none."""
    engine = make_engine(fresh_db, pool_size=4)
    a, b = await register(own_api), await register(own_api)
    for user in (a, b):
        await set_role(engine, user["id"], "ADMIN")
    sessions = make_sessionmaker(engine)
    actor = Actor(uuid4(), Role.ADMIN)  # resolved before: the use case trusts it
    try:
        async with SqlUnitOfWork(sessions) as first:
            before = await first.users.get(UUID(a["id"]), for_update=True)
            assert before is not None
            demoted = type(before)(**{**vars(before), "role": Role.USER})
            await keep_an_active_admin(first, before, demoted)
            await first.users.save(demoted)
            disable_b = SetAccountState(UUID(b["id"]), True)
            second = asyncio.create_task(
                set_account_state(disable_b, actor, SqlUnitOfWork(sessions))
            )
            await asyncio.sleep(0.5)
            assert not second.done()  # waiting for the lock
            await first.commit()
        with pytest.raises(LastActiveAdmin):
            await asyncio.wait_for(second, 10)
        with pytest.raises(LastActiveAdmin):
            await change_role(ChangeRole(UUID(b["id"]), "USER"), actor, SqlUnitOfWork(sessions))
    finally:
        await engine.dispose()
    assert await _active_admins(fresh_db) == 1


async def test_disabling_reaches_kafka_through_the_outbox(
    kafka_bootstrap: str, fresh_db: str, start_relay: Callable[..., RunningRelay]
) -> None:
    settings = make_settings(fresh_db, kafka_bootstrap)
    start_relay(settings)
    engine = make_engine(fresh_db, pool_size=1)
    async with await open_client(settings) as client:
        admin, user = await register(client), await register(client)
        await set_role(engine, admin["id"], "ADMIN")
        await put_state(client, admin["id"], user["id"], True)
        await put_state(client, admin["id"], user["id"], False)
        assert await eventually(lambda: _all_sent(client))
    await engine.dispose()
    records = await read_topic(kafka_bootstrap, ACCOUNTS)
    records = [r for r in records if r.key == user["id"].encode()]
    assert [json.loads(r.value)["type"] for r in records] == [
        "UserRegistered",
        "UserDisabled",
        "UserEnabled",
    ]


async def _all_sent(client: AsyncTestClient) -> bool:
    return await unsent(client) == 0
