"""Helpers of the registration tests: valid forms, unique cédulas, consuming a topic."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from litestar.testing import AsyncTestClient

from schemas.topics import TopicSpec
from tests.support.accounts import sign_up_form

TOKEN = "test-service-token"


async def register(client: AsyncTestClient, **overrides: Any) -> dict[str, Any]:
    response = await client.post("/api/users", json=sign_up_form(**overrides))
    assert response.status_code == 201, response.text
    return response.json()


def as_actor(user_id: str) -> dict[str, str]:
    return {"X-Actor-Id": user_id}


async def eventually(check: Any, timeout_s: float = 30.0, every_s: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        result = await check()
        if result or time.monotonic() > deadline:
            return result
        await asyncio.sleep(every_s)


async def outbox_events(engine: Any, key: str) -> list[dict[str, Any]]:
    """Outbox rows whose Kafka key is `key` (a user id; a cédula for rows from before sealing),
    oldest first, opened with the person's key from `person_keys` (as a consumer opens them)."""
    from sqlalchemy import text

    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT value FROM outbox WHERE key = :key ORDER BY id"), {"key": key.encode()}
        )
        keys = await conn.execute(text("SELECT user_id, data_key FROM person_keys"))
        found = {row.user_id: bytes(row.data_key) for row in keys}
        return [opened(bytes(row.value), found) for row in rows]


def opened(value: bytes, keys: dict[Any, bytes]) -> dict[str, Any]:
    """A record body as its consumer sees it: sealed fields opened (or erased), as JSON."""
    from schemas.events import EVENT_TYPES
    from schemas.sealing import open_event

    return open_event(value, EVENT_TYPES, keys.get)[0].model_dump(mode="json")


async def set_role(engine: Any, user_id: str, role: str) -> None:
    """Test shortcut: the API's own way (an ADMIN's request) is tested separately."""
    from sqlalchemy import text

    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE users SET role = :role WHERE id = :id"), {"role": role, "id": user_id}
        )


async def read_topic(bootstrap: str, topic: TopicSpec) -> list[ConsumerRecord]:
    """Every record of `topic` present now, partition by partition, from the beginning."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None
    )
    await consumer.start()
    try:
        parts = [TopicPartition(topic.name, p) for p in range(topic.partitions)]
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        end = await consumer.end_offsets(parts)
        records: list[ConsumerRecord] = []
        while any([await consumer.position(tp) < end[tp] for tp in parts]):
            batch = await consumer.getmany(*parts, timeout_ms=500)
            records.extend(record for part in batch.values() for record in part)
        return records
    finally:
        await consumer.stop()


async def unsent(client: AsyncTestClient) -> int:
    return (await client.get("/health")).json()["outbox"]["unsent"]
