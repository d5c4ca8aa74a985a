"""Redriving dead letters on a real Kafka: a truncated and an undecodable letter stay parked
(nothing of them reaches accounts.events, kept forever), the good ones go home once, and the
audit record listing them is written before they are sent."""

from __future__ import annotations

import asyncio
import contextlib
import json
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from aiokafka import AIOKafkaProducer

from schemas import topics
from schemas.envelope import encode_event
from schemas.events import ValidationReason, ValidationRequested, ValidationRequestedData
from services.common.failures import ORIGINAL_TOPIC, TRUNCATED_FROM
from services.common.kafka import kafka_producer
from services.common.settings import KafkaSettings
from services.kafka_admin import dead_letters
from services.kafka_admin.browse import RecordFilter
from services.kafka_admin.clients import kafka_clients
from services.kafka_admin.dead_letters import Skip
from services.kafka_admin.redrive_marks import parse_spots
from tests.support.events import user_registered
from tests.support.kafka_wait import watching

DLT = topics.WORKER_DLT.name
HOMES = (topics.ACCOUNTS.name, topics.BULK_VALIDATION_REQUESTS.name)


async def _park(bootstrap: str, origin: str, key: bytes, value: bytes, **extra: str) -> int:
    """A letter as the worker parks it; its offset (the DLT has one partition)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        headers = [(ORIGINAL_TOPIC, origin), ("failure_kind", "EventDecodeError"), *extra.items()]
        sent = await producer.send_and_wait(
            DLT, value=value, key=key, headers=[(n, v.encode()) for n, v in headers]
        )
    finally:
        await producer.stop()
    return int(sent.offset)


async def _redrive(settings: KafkaSettings, since: datetime) -> dead_letters.RedriveReport:
    producer = kafka_producer(settings, "test-ops")
    await producer.start()
    try:
        async with kafka_clients(settings) as clients:
            # «Reenviar todos» of this test's letters: the broker is shared with other tests.
            return await dead_letters.redrive(
                clients, producer, DLT, RecordFilter(since=since), operator="x" * 10_000
            )
    finally:
        await producer.stop()


async def test_only_good_letters_go_home_once_and_the_audit_comes_first(
    kafka_bootstrap: str,
) -> None:
    settings = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    since = datetime.now(UTC) - timedelta(seconds=1)
    registered = user_registered()
    key, body, _ = encode_event(registered)
    request = ValidationRequested(
        producer="tests",
        data=ValidationRequestedData(
            user_id=uuid4(), cedula="7712345678", reason=ValidationReason.REFRESH
        ),
    )
    accounts = topics.ACCOUNTS.name
    truncated = await _park(
        kafka_bootstrap, accounts, key, body[:40], **{TRUNCATED_FROM: "2000000"}
    )
    undecodable = await _park(kafka_bootstrap, accounts, key, b'{"type": "UserRegistered"}')
    good = await _park(kafka_bootstrap, accounts, key, body)
    asked = await _park(
        kafka_bootstrap, topics.VALIDATION_REQUESTS.name, request.key, encode_event(request)[1]
    )

    async with watching(kafka_bootstrap, *HOMES, topics.OPS_AUDIT.name) as watcher:
        report = await _redrive(settings, since)
        seen = await watcher.wait_for(lambda seen: sum(r.topic in HOMES for r in seen) >= 2)
        second = await _redrive(settings, since)
        audit = topics.OPS_AUDIT.name
        await watcher.wait_for(lambda seen: sum(r.topic == audit for r in seen) >= 2)
        with contextlib.suppress(TimeoutError):  # room for anything it might wrongly send
            await watcher.wait_for(lambda _: False, timeout_s=1.0)

    assert report.redriven == 2
    assert report.skipped == {Skip.TRUNCATED: 1, Skip.UNDECODABLE: 1}
    home = [r for r in seen if r.topic in HOMES]
    assert sorted((r.topic, dict(r.headers)["redriven_from"]) for r in home) == sorted(
        [
            (accounts, f"{DLT}/0/{good}".encode()),
            (topics.BULK_VALIDATION_REQUESTS.name, f"{DLT}/0/{asked}".encode()),
        ]
    )
    assert all(r.value in (body, encode_event(request)[1]) for r in home)
    audits = [r for r in seen if r.topic == topics.OPS_AUDIT.name]
    first = json.loads(audits[0].value)["data"]
    assert first["action"] == "dlt.redrive" and len(first["operator"]) == 200
    assert parse_spots(first["details"]["letters"]) == {(0, good), (0, asked)}
    assert {(0, truncated), (0, undecodable)}.isdisjoint(parse_spots(first["details"]["letters"]))
    assert all(audits[0].timestamp <= r.timestamp for r in home)
    assert audits[0].offset < audits[1].offset  # the second redrive is on record too
    assert second.redriven == 0
    assert second.skipped == {
        Skip.TRUNCATED: 1,
        Skip.UNDECODABLE: 1,
        Skip.ALREADY_REDRIVEN: 2,
    }


def test_the_command_says_why_letters_stayed_and_again_forces_a_second_send(
    kafka_bootstrap: str, monkeypatch
) -> None:
    from typer.testing import CliRunner

    from services.cli import app

    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", kafka_bootstrap)
    monkeypatch.setenv("CENSO_OPERATOR", "ana")
    request = ValidationRequested(
        producer="tests",
        data=ValidationRequestedData(
            user_id=uuid4(), cedula="7712345679", reason=ValidationReason.REFRESH
        ),
    )
    origin = topics.VALIDATION_REQUESTS.name
    good = asyncio.run(_park(kafka_bootstrap, origin, request.key, encode_event(request)[1]))
    bad = asyncio.run(_park(kafka_bootstrap, origin, request.key, b"not json"))
    at = ["--at", f"0:{good}", "--at", f"0:{bad}"]

    def run(*extra: str) -> str:
        result = CliRunner().invoke(app, ["ops", "dlt", "redrive", DLT, *at, *extra])
        assert result.exit_code == 0, result.output
        return " ".join(result.output.split())

    first = run()
    assert "redriven 1 letters" in first and "skipped 1 (1 undecodable)" in first
    assert "redriven 1 letters" in run("--again")  # the operator's explicit choice
    repeated = run()
    assert "redriven 0 letters" in repeated and "1 already_redriven" in repeated
    assert "1 undecodable" in repeated
