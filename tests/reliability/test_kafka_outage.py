"""The Kafka broker stops for a while and comes back while people keep registering and editing
their profiles: every account event reaches Kafka, in order per user."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import httpx

from schemas.topics import ACCOUNTS
from tests.reliability.support import (
    ScenarioResult,
    StoppableKafka,
    cedulas,
    fast_registration_env,
    query,
    register,
    size,
    wait_until,
)
from tests.support.kafka import read_topic
from tests.support.stack import Stack, stack_env

OUTBOX = "SELECT event_id, key FROM outbox WHERE topic = :topic ORDER BY id"


class Registrations(threading.Thread):
    """Registers users one after another, each followed by two profile edits, until stopped."""

    def __init__(self, stack: Stack) -> None:
        super().__init__(daemon=True)
        self._stack = stack
        self._halt = threading.Event()
        self.users = 0
        self.failures: list[str] = []

    def run(self) -> None:
        base = self._stack.url("registration")
        token = self._stack.env["REGISTRATION_SERVICE_TOKEN"]
        with httpx.Client() as client:
            for cedula in cedulas(100_000, start=5_000_000):
                if self._halt.is_set():
                    return
                created = register(client, base, token, cedula)
                if created.status_code != 201:
                    self.failures.append(created.text)
                    continue
                user_id = created.json()["id"]
                for edit in ("Ana Uno", "Ana Dos"):
                    edited = client.patch(
                        f"{base}/api/users/{user_id}",
                        json={"nombre": edit},
                        headers={"authorization": f"Bearer {token}", "x-actor-id": user_id},
                    )
                    if edited.status_code != 200:
                        self.failures.append(edited.text)
                self.users += 1
                time.sleep(0.1)

    def stop(self) -> None:
        self._halt.set()
        self.join(30)


async def test_kafka_broker_outage(
    scenario: ScenarioResult,
    stoppable_kafka: StoppableKafka,
    create_database: Callable[[str], str],
    tmp_path: Path,
) -> None:
    """Kafka broker stopped and restarted while registrations keep arriving"""
    outage_s = size("kafka_outage_s", 8, 30)
    env = stack_env(stoppable_kafka.bootstrap_servers, create_database)
    # The relay's back-off tops out at 5 s instead of 30 s: it finds the broker back sooner.
    env |= fast_registration_env() | {"REGISTRATION_OUTBOX_RETRY_MAX_S": "5"}
    stack = Stack(env, tmp_path)
    registration = stack.start("registration", "registration", "serve")
    stack.start("relay", "registration", "relay")
    started = time.monotonic()
    writer = Registrations(stack)
    try:
        registration.wait_http(stack.url("registration", "/health"))
        writer.start()
        await wait_until(_async(lambda: writer.users >= 10), 60, "first registrations", 0.2)
        stoppable_kafka.stop()
        users_at_stop = writer.users
        await asyncio.sleep(outage_s)  # the deliberate outage
        users_during = writer.users - users_at_stop
        stoppable_kafka.start()
        await wait_until(
            _async(lambda: writer.users >= users_at_stop + users_during + 10),
            60,
            "registrations after the outage",
            0.2,
        )
        writer.stop()
        assert not writer.failures, writer.failures[:3]

        db = env["REGISTRATION_DATABASE_URL"]
        outbox = await query(db, OUTBOX, topic=ACCOUNTS.name)
        expected = {str(row["event_id"]) for row in outbox}

        async def all_delivered() -> list:
            records = await read_topic(stoppable_kafka.bootstrap_servers, ACCOUNTS.name)
            ids = {json.loads(r.value)["event_id"] for r in records}
            return records if expected <= ids else []

        records = await wait_until(all_delivered, 120, "every outbox event on Kafka")
    finally:
        stack.stop_all()  # first: it must happen even if the writer misbehaves
        writer.stop()

    delivered_ids = [json.loads(r.value)["event_id"] for r in records]
    assert set(delivered_ids) == expected  # nothing lost, nothing invented
    assert _order_per_key(records) == _order_per_key_from(outbox)
    scenario.injected = f"Kafka broker stopped for {outage_s:.0f} s, then started again"
    scenario.checked = (
        "every outbox event (UserRegistered + 2 UserProfileUpdated per user) on accounts.events; "
        "per user, the events in the order they were written; registrations answered 201 "
        "throughout"
    )
    scenario.sizes = {"outage_s": outage_s, "users": writer.users}
    scenario.sent = len(expected)
    scenario.delivered = len(set(delivered_ids))
    scenario.duplicated = len(delivered_ids) - len(set(delivered_ids))
    scenario.lost = len(expected - set(delivered_ids))
    scenario.notes = (
        f"{writer.users} users, {users_during} of them registered while the broker was down; "
        f"all events on Kafka {time.monotonic() - started:.0f} s after the first registration"
    )


def _async(check: Callable[[], bool]) -> Callable[[], object]:
    async def run() -> bool:
        return check()

    return run


def _order_per_key(records: list) -> dict[bytes, list[str]]:
    """Event ids per key in partition order, each kept at its first delivery."""
    order: dict[bytes, list[str]] = defaultdict(list)
    for record in sorted(records, key=lambda r: (r.partition, r.offset)):
        event_id = json.loads(record.value)["event_id"]
        if event_id not in order[record.key]:
            order[record.key].append(event_id)
    return dict(order)


def _order_per_key_from(outbox: list[dict]) -> dict[bytes, list[str]]:
    order: dict[bytes, list[str]] = defaultdict(list)
    for row in outbox:
        order[bytes(row["key"])].append(str(row["event_id"]))
    return dict(order)
