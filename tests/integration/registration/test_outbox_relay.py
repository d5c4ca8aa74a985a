"""The relay on real PostgreSQL and Kafka: exactly the committed events, in order per key,
no gaps."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from uuid import uuid4

from sqlalchemy import text

from schemas.events import UserProfileUpdated, UserProfileUpdatedData
from schemas.topics import ACCOUNTS
from services.common.db import make_engine, make_sessionmaker
from services.registration.adapters.unit_of_work import SqlUnitOfWork
from tests.integration.registration.conftest import RunningRelay, make_settings, open_client
from tests.integration.registration.support import (
    as_actor,
    eventually,
    outbox_events,
    read_topic,
    register,
    unsent,
)


def events_for(records: list, key: str) -> list[dict]:
    return [json.loads(r.value) for r in records if r.key == key.encode()]


async def test_registration_reaches_kafka_as_exactly_one_user_registered(
    kafka_bootstrap: str, fresh_db: str, start_relay: Callable[..., RunningRelay]
) -> None:
    settings = make_settings(fresh_db, kafka_bootstrap)
    start_relay(settings)
    async with await open_client(settings) as client:
        user = await register(client)
        assert await eventually(lambda: _unsent_is(client, 0))
    (sealed,) = events_for(await read_topic(kafka_bootstrap, ACCOUNTS), user["id"])
    for personal in ("cedula", "nombre", "telefono"):  # on Kafka only the sealed form
        assert personal not in sealed["data"] and user[personal] not in json.dumps(sealed)
    engine = make_engine(fresh_db, pool_size=1)
    try:
        (event,) = await outbox_events(engine, user["id"])
    finally:
        await engine.dispose()
    assert event["type"] == "UserRegistered" and event["producer"] == "registration"
    assert event["data"] == {
        "user_id": user["id"],
        "cedula": user["cedula"],
        "nombre": user["nombre"],
        "telefono": user["telefono"],
        "referrer_id": None,
        "referral_code": user["referral_code"],
        "referral_goal": 10,
        "role": "USER",
        "registered_at": event["data"]["registered_at"],
    }
    assert datetime.fromisoformat(event["data"]["registered_at"]) == datetime.fromisoformat(
        user["registered_at"]
    )
    assert "password" not in json.dumps(event) and "argon2" not in json.dumps(event)


async def test_a_row_whose_transaction_commits_late_is_still_delivered(
    kafka_bootstrap: str, fresh_db: str, start_relay: Callable[..., RunningRelay]
) -> None:
    engine = make_engine(fresh_db, pool_size=3)
    sessions = make_sessionmaker(engine)
    early, late = profile_event(), profile_event()
    start_relay(make_settings(fresh_db, kafka_bootstrap))
    try:
        async with SqlUnitOfWork(sessions) as slow:
            await slow.outbox.add(early)  # takes the lower id, commits last
            async with SqlUnitOfWork(sessions) as fast:
                await fast.outbox.add(late)
                await fast.commit()
            assert await eventually(lambda: _sent(engine, late.event_id))
            assert not await _sent(engine, early.event_id)
            await slow.commit()
        assert await eventually(lambda: _sent(engine, early.event_id))
        ids = await _ids(engine)
        assert ids[early.event_id] < ids[late.event_id]
    finally:
        await engine.dispose()
    records = await read_topic(kafka_bootstrap, ACCOUNTS)
    for event in (early, late):
        assert [e["event_id"] for e in events_for(records, str(event.data.user_id))] == [
            str(event.event_id)
        ]


async def test_one_users_events_reach_kafka_in_commit_order(
    kafka_bootstrap: str, fresh_db: str, start_relay: Callable[..., RunningRelay]
) -> None:
    settings = make_settings(fresh_db, kafka_bootstrap)
    start_relay(settings)
    async with await open_client(settings) as client:
        user = await register(client)
        url, me = f"/api/users/{user['id']}", as_actor(user["id"])
        responses = await asyncio.gather(
            *(client.patch(url, json={"referral_goal": goal}, headers=me) for goal in range(11, 31))
        )
        assert {r.status_code for r in responses} == {200}
        assert await eventually(lambda: _unsent_is(client, 0))
    engine = make_engine(fresh_db, pool_size=1)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                text("SELECT event_id FROM outbox WHERE key = :k ORDER BY id"),
                {"k": user["id"].encode()},
            )
            committed = [str(row.event_id) for row in rows]
    finally:
        await engine.dispose()
    delivered = [
        e["event_id"] for e in events_for(await read_topic(kafka_bootstrap, ACCOUNTS), user["id"])
    ]
    assert delivered == committed and len(committed) == 21


async def test_a_second_relay_stands_by_and_nothing_is_sent_twice(
    kafka_bootstrap: str, fresh_db: str, start_relay: Callable[..., RunningRelay]
) -> None:
    settings = make_settings(fresh_db, kafka_bootstrap)
    relays = [start_relay(settings), start_relay(settings)]
    async with await open_client(settings) as client:
        users = await asyncio.gather(*(register(client) for _ in range(30)))
        assert await eventually(lambda: _unsent_is(client, 0))
    records = await read_topic(kafka_bootstrap, ACCOUNTS)
    counts = Counter(r.key.decode() for r in records)
    assert [counts[u["id"]] for u in users] == [1] * 30
    assert sorted(relay.relay.published for relay in relays) == [0, 30]


def profile_event() -> UserProfileUpdated:
    data = UserProfileUpdatedData(
        user_id=uuid4(), nombre="Ana Gómez", telefono="3001234567", referral_goal=10
    )
    return UserProfileUpdated(producer="registration", data=data, occurred_at=datetime.now(UTC))


async def _unsent_is(client, count: int) -> bool:
    return await unsent(client) == count


async def _sent(engine, event_id) -> bool:
    async with engine.connect() as conn:
        query = text("SELECT sent_at IS NOT NULL FROM outbox WHERE event_id = :e")
        return bool((await conn.execute(query, {"e": event_id})).scalar_one_or_none())


async def _ids(engine) -> dict:
    async with engine.connect() as conn:
        return {
            row.event_id: row.id
            for row in await conn.execute(text("SELECT id, event_id FROM outbox"))
        }
