"""Operators' tools on a real Kafka and PostgreSQL."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer
from typer.testing import CliRunner

import services.web
from schemas import topics
from schemas.census import CensusStatus
from schemas.envelope import encode_event
from services.common.db import make_engine
from services.common.kafka import ensure_topics, kafka_producer
from services.common.migrations import migrate
from services.common.settings import KafkaSettings
from services.kafka_admin import dead_letters
from services.kafka_admin.browse import RecordFilter
from services.kafka_admin.clients import kafka_clients
from services.operations import offsets
from services.operations.revalidate import Selection, revalidate, select_targets
from services.web.projection.projector import Projector
from tests.support.events import failed_event, record, user_registered, validated
from tests.support.fakes import ScriptedSource, active, failed
from tests.support.kafka import publish
from tests.support.kafka_wait import watching

WEB_MIGRATIONS = Path(services.web.__file__).parent / "migrations"


async def test_a_redriven_dead_letter_is_processed(kafka_bootstrap: str, start_worker) -> None:
    settings = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    registered = user_registered(cedula="40111222")
    source = ScriptedSource([failed(CensusStatus.ERROR)] * 3 + [active()], cedula="40111222")
    async with watching(
        kafka_bootstrap, topics.CENSUS_RESULTS.name, topics.WORKER_DLT.name
    ) as watcher:
        await start_worker(source)
        await publish(kafka_bootstrap, topics.ACCOUNTS.name, *encode_event(registered)[:2])
        await watcher.wait_for(
            lambda seen: any(
                r.topic == topics.WORKER_DLT.name and r.key == registered.key for r in seen
            )
        )
        producer = kafka_producer(settings, "test-ops")
        await producer.start()
        try:
            async with kafka_clients(settings) as clients:
                report = await dead_letters.redrive(
                    clients,
                    producer,
                    topics.WORKER_DLT.name,
                    RecordFilter(key=registered.key.decode()),
                )
        finally:
            await producer.stop()
        await watcher.wait_for(
            lambda _: any(b["type"] == "CedulaValidated" for b in watcher.bodies("40111222"))
        )
    assert report.redriven >= 1
    answer = next(b for b in watcher.bodies("40111222") if b["type"] == "CedulaValidated")
    assert answer["data"]["attempt"] == 1  # a redrive is a fresh start
    assert answer["data"]["request_id"] == str(registered.event_id)


async def test_revalidate_by_status_selects_exactly_the_users_in_that_status(
    kafka_bootstrap: str, create_database: Callable[[str], str]
) -> None:
    engine = make_engine(create_database("web"))
    await migrate(engine, WEB_MIGRATIONS)
    projector = Projector(engine)
    in_error = []
    for index in range(6):
        registered = user_registered(cedula=f"4020000{index}")
        await projector.project(record(registered))
        if index % 2:
            await projector.project(record(validated(registered)))
        else:
            in_error.append(registered)
            await projector.project(record(failed_event(registered, CensusStatus.ERROR)))

    targets = await select_targets(engine, Selection(statuses=[CensusStatus.ERROR]))
    assert sorted(cedula for _, cedula in targets) == sorted(r.data.cedula for r in in_error)

    settings = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    await ensure_topics(settings)
    producer = kafka_producer(settings, "test-ops")
    await producer.start()
    async with watching(kafka_bootstrap, topics.BULK_VALIDATION_REQUESTS.name) as watcher:
        try:
            published = await revalidate(
                producer, targets, Selection(statuses=[CensusStatus.ERROR])
            )
        finally:
            await producer.stop()
        await watcher.wait_for(lambda seen: len(seen) >= published)
    bodies = [json.loads(r.value) for r in watcher.seen]
    assert sorted(b["data"]["cedula"] for b in bodies) == sorted(r.data.cedula for r in in_error)
    assert {b["data"]["reason"] for b in bodies} == {"revalidation"}
    await engine.dispose()


async def test_reset_offsets_refuses_an_active_group_and_moves_an_idle_one(
    kafka_bootstrap: str,
) -> None:
    settings = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    await ensure_topics(settings)
    group = f"ops-test-{secrets.token_hex(4)}"
    await publish(kafka_bootstrap, topics.OPS_AUDIT.name, b"k", b"{}")
    member = AIOKafkaConsumer(
        topics.OPS_AUDIT.name,
        bootstrap_servers=kafka_bootstrap,
        group_id=group,
        auto_offset_reset="earliest",
    )
    await member.start()
    try:
        await member.getone()
        await member.commit()
        async with kafka_clients(settings) as (admin, consumer):
            with pytest.raises(offsets.GroupIsActive):
                await offsets.plan_reset(admin, consumer, group, "earliest")
    finally:
        await member.stop()

    async with kafka_clients(settings) as (admin, consumer):
        moves = await offsets.plan_reset(admin, consumer, group, "earliest")
        assert moves and all(m.target == 0 for m in moves)
        await offsets.apply_reset(settings, group, moves)
        committed = await admin.list_consumer_group_offsets(group)
    assert {meta.offset for meta in committed.values()} == {0}


def test_topics_and_groups_commands_print_json(kafka_bootstrap: str, monkeypatch) -> None:
    from services.cli import app

    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", kafka_bootstrap)
    result = CliRunner().invoke(app, ["ops", "topics", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert {row["topic"] for row in rows} >= {topics.ACCOUNTS.name, topics.WORKER_DLT.name}
    result = CliRunner().invoke(app, ["ops", "groups", "--json"])
    assert result.exit_code == 0, result.output


def test_an_unknown_group_or_topic_is_a_usage_error(kafka_bootstrap: str, monkeypatch) -> None:
    from services.cli import app

    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", kafka_bootstrap)
    for args, says in (
        (["ops", "reset-offsets", "no-such-group", "--to", "earliest"], "no consumer group"),
        (["ops", "peek", "no.such.topic"], "no topic no.such.topic"),
    ):
        result = CliRunner().invoke(app, args, prog_name="censo")
        assert result.exit_code == 2, result.output
        assert result.stderr.count("\n") == 1 and says in result.stderr
