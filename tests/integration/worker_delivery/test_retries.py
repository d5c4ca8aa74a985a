"""The worker on a real Kafka: results, non-blocking retries through the retry topics, and dead
letters for bad input and for cédulas whose attempts ran out (with a scripted census source)."""

from __future__ import annotations

import secrets

import pytest

from schemas import topics
from schemas.census import CensusStatus
from schemas.envelope import encode_event
from services.common.failures import header
from tests.support.events import user_registered
from tests.support.fakes import ScriptedSource, active, failed
from tests.support.kafka import publish
from tests.support.kafka_wait import watching

WATCHED = (topics.CENSUS_RESULTS.name, topics.WORKER_DLT.name)


def statuses(bodies: list[dict]) -> list[tuple[str, int, str | None]]:
    return [(b["type"], b["data"]["attempt"], b["data"].get("status")) for b in bodies]


async def test_transient_failures_are_retried_until_an_answer(
    kafka_bootstrap, start_worker
) -> None:
    registered = user_registered(cedula="30111222")
    source = ScriptedSource(
        [failed(CensusStatus.TIMEOUT), failed(CensusStatus.BLOCKED), active()], cedula="30111222"
    )
    async with watching(kafka_bootstrap, *WATCHED) as watcher:
        await start_worker(source)
        await publish(kafka_bootstrap, topics.ACCOUNTS.name, *encode_event(registered)[:2])
        await watcher.wait_for(
            lambda _: any(b["type"] == "CedulaValidated" for b in watcher.bodies("30111222"))
        )

    bodies = watcher.bodies("30111222")
    assert statuses(bodies) == [
        ("ValidationStarted", 1, None),
        ("ValidationFailed", 1, "TIMEOUT"),
        ("ValidationStarted", 2, None),
        ("ValidationFailed", 2, "BLOCKED"),
        ("ValidationStarted", 3, None),
        ("CedulaValidated", 3, "ACTIVE"),
    ]
    first_failure = bodies[1]["data"]
    assert first_failure["will_retry"] is True and first_failure["next_attempt_at"]
    assert {b["data"]["request_id"] for b in bodies} == {str(registered.event_id)}


async def test_three_failures_go_to_the_dead_letters_with_their_story(
    kafka_bootstrap, start_worker
) -> None:
    registered = user_registered(cedula="30111333")
    async with watching(kafka_bootstrap, *WATCHED) as watcher:
        await start_worker(ScriptedSource([failed(CensusStatus.ERROR)], cedula="30111333"))
        await publish(kafka_bootstrap, topics.ACCOUNTS.name, *encode_event(registered)[:2])
        await watcher.wait_for(
            lambda seen: any(
                r.topic == topics.WORKER_DLT.name and r.key == registered.key for r in seen
            )
        )

    failures = [b for b in watcher.bodies("30111333") if b["type"] == "ValidationFailed"]
    assert [(f["data"]["attempt"], f["data"]["will_retry"]) for f in failures] == [
        (1, True),
        (2, True),
        (3, False),
    ]
    letter = next(
        r for r in watcher.seen if r.topic == topics.WORKER_DLT.name and r.key == registered.key
    )
    assert header(letter, "failure_original_topic") == topics.ACCOUNTS.name
    assert header(letter, "failure_attempt") == "3"
    assert header(letter, "failure_kind") == "ERROR"
    assert header(letter, "failure_first_at") is not None
    assert header(letter, "retry_due_at_ms") is None


@pytest.mark.parametrize(
    "payload",
    [
        b"not json at all",
        b'{"type": "UserRegistered", "version": 7}',
        b'{"type": "UserRegistered", "version": 1}',
    ],
    ids=["not-json", "unknown-version", "missing-fields"],
)
async def test_poison_records_are_dead_lettered_and_the_worker_keeps_going(
    kafka_bootstrap, start_worker, payload: bytes
) -> None:
    key = secrets.token_hex(6).encode()
    good = user_registered(cedula="30111444")
    source = ScriptedSource()
    async with watching(kafka_bootstrap, *WATCHED) as watcher:
        await start_worker(source)
        await publish(kafka_bootstrap, topics.VALIDATION_REQUESTS.name, key, payload)
        await publish(kafka_bootstrap, topics.ACCOUNTS.name, *encode_event(good)[:2])
        await watcher.wait_for(
            lambda seen: (
                any(r.topic == topics.WORKER_DLT.name and r.key == key for r in seen)
                and any(b["type"] == "CedulaValidated" for b in watcher.bodies("30111444"))
            )
        )
    letter = next(r for r in watcher.seen if r.key == key)
    assert letter.value == payload
    assert header(letter, "failure_kind") == "EventDecodeError"
    assert "30111444" in source.calls
