"""Poison records on every topic the worker and the projector consume: each is parked in the
consumer's dead-letter topic with headers saying why, and the consumer goes on to the valid
record behind it on the same partition. A 5 MB record is refused by Kafka itself."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from uuid import uuid4

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import MessageSizeTooLargeError

from schemas import topics
from schemas.envelope import MAX_EVENT_BYTES, encode_event
from schemas.events import ValidationReason, ValidationRequested, ValidationRequestedData
from services.common.failures import ATTEMPT, DUE_AT, TRUNCATED_FROM, header
from services.web.entrypoints.subscribers import PROJECTED_TOPICS
from tests.reliability.support import ScenarioResult, cedulas, query, wait_until
from tests.support.events import user_registered
from tests.support.kafka import read_topic, worker_topics
from tests.support.kafka_wait import watching
from tests.support.stack import Stack, stack_env

WEB_TOPICS = [spec.name for spec in PROJECTED_TOPICS]  # what the web projector consumes
RETRY_TOPICS = [spec.name for spec in topics.WORKER_RETRIES]
FINAL = ("ACTIVE", "NOT_FOUND", "CANCELLED_DECEASED", "CANCELLED_OTHER", "BLOCKED", "ERROR")


def poisons() -> dict[str, bytes]:
    """Bodies no consumer can use; the last one is over MAX_EVENT_BYTES yet under Kafka's limit
    even once parked with the failure headers added."""
    missing = {"type": "UserRegistered", "version": 1, "event_id": str(uuid4()), "data": {}}
    unknown = {**missing, "version": 99}
    near_limit = json.dumps({"type": "UserRegistered", "pad": "x" * 1_048_000}).encode()
    return {
        "not_json": b"\xff\xfe this is not JSON {",
        "unknown_version": json.dumps(unknown).encode(),
        "missing_fields": json.dumps(missing).encode(),
        "over_max_event_bytes": near_limit,
    }


class Producer:
    def __init__(self, bootstrap: str, **options: object) -> None:
        self.client = AIOKafkaProducer(bootstrap_servers=bootstrap, **options)  # type: ignore[arg-type]

    async def send(
        self, topic: str, key: bytes, value: bytes, headers: dict[str, str] | None = None
    ) -> None:
        pairs = [(k, v.encode()) for k, v in (headers or {}).items()]
        await self.client.send_and_wait(topic, value, key=key, headers=pairs)


@pytest.fixture
def stack(reliability_kafka: str, create_database: Callable[[str], str], tmp_path: Path) -> Stack:
    env = stack_env(reliability_kafka, create_database) | {
        "WORKER_MIN_INTERVAL_S": "0",
        "CENSUS_FRESH_FOR": "0",
        "WORKER_METRICS_PORT": "0",
    }
    return Stack(env, tmp_path)


async def test_poison_messages(scenario: ScenarioResult, stack: Stack) -> None:
    """Poison records on every consumed topic"""
    bootstrap = stack.env["KAFKA_BOOTSTRAP_SERVERS"]
    worker_group, web_group = stack.env["WORKER_GROUP_ID"], stack.env["WEB_PROJECTOR_GROUP_ID"]
    await stack.start_groups_at_end()
    dlt_before = {
        name: len(await read_topic(bootstrap, name))
        for name in (topics.WORKER_DLT.name, topics.WEB_DLT.name)
    }
    names = cedulas(5, start=7_000_000 + secrets.randbelow(900_000))
    account = user_registered(names[0])
    request = ValidationRequested(
        producer="tests",
        data=ValidationRequestedData(
            user_id=uuid4(), cedula=names[1], reason=ValidationReason.REFRESH
        ),
    )
    retried = [user_registered(cedula) for cedula in names[2:]]
    bad = poisons()
    started = time.monotonic()
    producer = Producer(bootstrap, max_request_size=2_000_000)
    await producer.client.start()
    try:
        # Poison first, then a valid record with the same key (so on the same partition).
        for kind, body in bad.items():
            marks = {"poison": kind}
            await producer.send(topics.CENSUS_RESULTS.name, account.key, body, marks)
            await producer.send(topics.ACCOUNTS.name, account.key, body, marks)
            await producer.send(topics.VALIDATION_REQUESTS.name, request.key, body, marks)
            await producer.send(topics.BULK_VALIDATION_REQUESTS.name, request.key, body, marks)
            await producer.send(topics.CENSUS_STATUS.name, b"capacity", body, marks)
            await producer.send(topics.CENSUS_CONTROL.name, b"wsp", body, marks)
            for level, (name, event) in enumerate(zip(RETRY_TOPICS, retried, strict=True), 1):
                due = {ATTEMPT: str(level), DUE_AT: str(int(time.time() * 1000))}
                await producer.send(name, event.key, body, marks | due)
        await producer.send(topics.ACCOUNTS.name, *encode_event(account)[:2])
        await producer.send(topics.VALIDATION_REQUESTS.name, *encode_event(request)[:2])
        for level, (name, event) in enumerate(zip(RETRY_TOPICS, retried, strict=True), 1):
            due = {ATTEMPT: str(level), DUE_AT: str(int(time.time() * 1000))}
            await producer.send(name, *encode_event(event)[:2], due)
    finally:
        await producer.client.stop()
    refusals = await five_megabytes_refused(bootstrap, account.key)

    async with watching(bootstrap, topics.CENSUS_RESULTS.name) as results:
        stack.start_all()
        try:
            await results.wait_for(
                lambda _: all(_answered(results, c) for c in names), timeout_s=180
            )

            async def web_caught_up() -> bool:
                # census.results and accounts.events are separate partitions: the answer for the
                # account's cédula may be projected before the account itself, which waits behind
                # its four poison records on accounts.events. Both must arrive.
                rows = await query(
                    stack.env["WEB_DATABASE_URL"],
                    "SELECT cedula FROM census_status WHERE status = ANY(:final)",
                    final=list(FINAL),
                )
                users = await query(stack.env["WEB_DATABASE_URL"], "SELECT cedula FROM users")
                return {r["cedula"] for r in rows} >= set(names) and names[0] in {
                    u["cedula"] for u in users
                }

            await wait_until(web_caught_up, 120, "the projector answered every valid record")
            worker_dlt = await _parked(bootstrap, topics.WORKER_DLT.name, worker_group, 28)
            web_dlt = await _parked(bootstrap, topics.WEB_DLT.name, web_group, 20)
        finally:
            stack.stop_all()

    expected_worker = {(t, k) for t in worker_topics() for k in bad}
    expected_web = {(t, k) for t in WEB_TOPICS for k in bad}
    assert _where_from(worker_dlt) == expected_worker
    assert _where_from(web_dlt) == expected_web
    for record in worker_dlt + web_dlt:
        assert header(record, "failure_kind") == "EventDecodeError"
        assert header(record, "failure_message")
        assert header(record, "failure_original_offset") is not None
        if header(record, "poison") == "over_max_event_bytes":
            assert header(record, TRUNCATED_FROM) == str(len(bad["over_max_event_bytes"]))
            assert len(record.value) < MAX_EVENT_BYTES
    assert len(worker_dlt) == 28 and len(web_dlt) == 20  # each parked once, no loop
    scenario.injected = (
        "4 poison bodies (not JSON, unknown version, missing fields, 1 MB over MAX_EVENT_BYTES) "
        "on accounts.events, both census.requests lanes, census.results, census.status, "
        "census.control and the 3 retry topics; a 5 MB record published twice (client limit, "
        "then raised client limit)"
    )
    scenario.checked = (
        "worker DLT: 28 records (7 topics × 4), web DLT: 20 (5 × 4), each once, with "
        "failure_kind/message/original topic+offset and the consumer group; oversized ones "
        "parked as their first 64 KB; the valid record behind each poison answered and "
        "projected; the 5 MB record refused by the producer and by the broker, nothing appended"
    )
    scenario.sent = 32 + 5
    scenario.delivered = len(worker_dlt) + len(web_dlt)
    scenario.sizes = {"poison_records": 32, "valid_records": 5}
    scenario.notes = (
        f"5 MB: {refusals}; DLT sizes before: {dlt_before}; "
        f"all parked and answered in {time.monotonic() - started:.0f} s"
    )


async def five_megabytes_refused(bootstrap: str, key: bytes) -> str:
    """The 5 MB record never reaches a consumer: the client refuses it under its default limit,
    and the broker (message.max.bytes ≈ 1 MB) refuses it when the client limit is raised."""
    body = json.dumps({"type": "UserRegistered", "pad": "x" * 5_000_000}).encode()
    before = len(await read_topic(bootstrap, topics.ACCOUNTS.name))
    answers = []
    for options in ({}, {"max_request_size": 8_000_000}):
        producer = Producer(bootstrap, **options)
        await producer.client.start()
        try:
            with pytest.raises(MessageSizeTooLargeError) as refused:
                await producer.send(topics.ACCOUNTS.name, key, body)
            answers.append(type(refused.value).__name__)
        finally:
            await producer.client.stop()
    assert len(await read_topic(bootstrap, topics.ACCOUNTS.name)) == before
    return f"client: {answers[0]}, broker: {answers[1]}"


def _answered(watcher, cedula: str) -> bool:  # type: ignore[no-untyped-def]
    return any(b.get("type") == "CedulaValidated" for b in watcher.bodies(cedula))


async def _parked(bootstrap: str, topic: str, group: str, count: int) -> list:
    async def ours() -> list:
        records = await read_topic(bootstrap, topic)
        mine = [r for r in records if header(r, "failure_consumer_group") == group]
        return mine if len(mine) >= count else []

    return await wait_until(ours, 60, f"{count} records of {group} on {topic}")


def _where_from(records: list) -> set[tuple[str | None, str | None]]:
    return {(header(r, "failure_original_topic"), header(r, "poison")) for r in records}
