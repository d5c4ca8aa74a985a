"""Kafka stops while people register: registrations still succeed, /health shows the backlog, and
everything reaches Kafka once it is back. Uses its own broker so the session's stays up, and the
relay inside the API process (`relay_in_process`)."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from pathlib import Path

from infra.local.kafka import KafkaNode
from schemas.topics import ACCOUNTS
from tests.integration.registration.conftest import make_settings, open_client
from tests.integration.registration.support import eventually, read_topic, register, unsent
from tests.support.infra import free_port, running_kafka


async def test_kafka_outage_delays_events_but_loses_none(infra_dir: Path, fresh_db: str) -> None:
    node = KafkaNode(infra_dir / f"kafka-outage-{uuid.uuid4().hex[:8]}", free_port(), free_port())
    settings = make_settings(fresh_db, node.bootstrap_servers, relay_in_process=True)
    async with await open_client(settings) as client:
        with running_kafka(infra_dir, node):
            before = await register(client)
            assert await eventually(lambda: _unsent_is(client, 0))

        during = [await register(client) for _ in range(5)]  # broker stopped: still 201
        health = (await client.get("/health")).json()
        assert health["outbox"]["unsent"] == 5
        assert health["outbox"]["oldest_unsent_age_s"] >= 0

        with running_kafka(infra_dir, node):
            assert await eventually(lambda: _unsent_is(client, 0), timeout_s=60)
            records = await read_topic(node.bootstrap_servers, ACCOUNTS)
    delivered = Counter(json.loads(r.value)["data"]["user_id"] for r in records)
    assert {user["id"] for user in [before, *during]} == set(delivered)


async def _unsent_is(client, count: int) -> bool:
    return await unsent(client) == count
