"""Rebuilding the read model next to the live one: identical tables, live writes not lost."""

from __future__ import annotations

import asyncio
import contextlib
import json
import pprint
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest
from aiokafka import TopicPartition
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.envelope import EventDecodeError, encode_event
from schemas.topics import ACCOUNTS, CENSUS_RESULTS
from services.common.db import make_engine
from services.common.db_faults import is_record_fault
from services.common.migrations import migrate
from services.common.settings import KafkaSettings
from services.kafka_admin.browse import RecordFilter, records
from services.kafka_admin.clients import kafka_clients, partitions_of
from services.web.entrypoints.subscribers import PROJECTED_TOPICS
from services.web.projection.projector import Projector
from services.web.projection.rebuild import READ_MODEL_TABLES, WEB_MIGRATIONS, ReadModelRebuild
from tests.support.capacity import capacity_report
from tests.support.events import started, user_registered, validated
from tests.support.kafka import publish, read_topic
from tests.support.tables import row_differences

TOPICS = [spec.name for spec in PROJECTED_TOPICS]
READ_TABLES = set(READ_MODEL_TABLES)


@pytest.fixture
async def engine(create_database: Callable[[str], str]) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(create_database("web"))
    await migrate(engine, WEB_MIGRATIONS)
    yield engine
    await engine.dispose()


async def publish_people(bootstrap: str, count: int, prefix: str) -> None:
    for index in range(count):
        registered = user_registered(cedula=f"{prefix}{index:04d}")
        for event in (registered, started(registered), validated(registered)):
            await publish(bootstrap, event.destination, *encode_event(event)[:2])


async def project_everything(bootstrap: str, projector: Projector) -> int:
    """What the live projector does, in order per partition, until the current end."""
    applied = 0
    async with kafka_clients(KafkaSettings(bootstrap_servers=bootstrap)) as clients:
        for topic in TOPICS:
            async for record in records(clients, topic, RecordFilter()):
                try:
                    applied += await projector.project(record)
                except EventDecodeError:  # dead-lettered live, skipped here
                    pass
                except DBAPIError as exc:  # refused by the database: parked live too
                    if not is_record_fault(exc):
                        raise
    return applied


async def snapshot(
    engine: AsyncEngine, schema: str, leave_out: set[str] | None = None
) -> dict[str, set[tuple]]:
    """Every row of the read tables, but those about a cédula in `leave_out`."""
    leave_out = leave_out or set()
    async with engine.connect() as conn:
        tables = {}
        for table in READ_MODEL_TABLES:
            result = await conn.execute(text(f'SELECT * FROM "{schema}"."{table}"'))
            names = list(result.keys())
            column = names.index("cedula") if "cedula" in names else None
            tables[table] = {
                tuple(row) for row in result if column is None or row[column] not in leave_out
            }
        return tables


async def cedulas_of_several_accounts(bootstrap: str) -> set[str]:
    """Cédulas registered or answered for more than one account on the suite's shared topics
    (tests of other things reuse some; registration never lets it happen). Which account keeps
    such a cédula, and which answer its status shows, depends on the order partitions are read
    in (a sealed record is keyed by its person, not the cédula), so those rows are left out of
    comparisons."""
    owners: dict[str, set[str]] = {}
    for topic in (ACCOUNTS.name, CENSUS_RESULTS.name):  # answers too: tests publish some alone
        for record in await read_topic(bootstrap, topic):
            with contextlib.suppress(ValueError, KeyError, TypeError):
                data = json.loads(record.value)["data"]
                owners.setdefault(data["cedula"], set()).add(data["user_id"])
    return {cedula for cedula, users in owners.items() if len(users) > 1}


async def rebuild(bootstrap: str, engine: AsyncEngine) -> str:
    async with kafka_clients(KafkaSettings(bootstrap_servers=bootstrap)) as (admin, consumer):
        job = ReadModelRebuild(engine, consumer, WEB_MIGRATIONS, batch_size=200)
        partitions: list[TopicPartition] = await partitions_of(admin, TOPICS)
        report = await job.run(partitions, lambda _: None)
    return report.schema.replace("rebuild_", "retired_")


async def test_a_rebuild_yields_tables_identical_to_the_live_ones(
    kafka_bootstrap: str, engine
) -> None:
    await publish_people(kafka_bootstrap, 20, "6100")
    now = datetime.now(UTC)
    for at in (now, now - timedelta(seconds=30)):  # the newest report first, an older one after
        report = capacity_report(reported_at=at)
        await publish(kafka_bootstrap, report.destination, *encode_event(report)[:2])
    await project_everything(kafka_bootstrap, Projector(engine))

    retired = await rebuild(kafka_bootstrap, engine)

    shared = await cedulas_of_several_accounts(kafka_bootstrap)
    live = await snapshot(engine, retired, shared)
    rebuilt = await snapshot(engine, "public", shared)
    differences = row_differences(live, rebuilt)
    assert differences == {}, pprint.pformat(differences, width=120)
    assert len(rebuilt["users"]) >= 20
    assert [row[2] for row in rebuilt["census_capacity"]] == [now]  # the newest report
    assert len(rebuilt["voting_place_members"]) >= 20  # everyone answered, counted at SINCELEJO
    assert len(rebuilt["chart_members"]) >= 20  # everyone counted by sign-up day and status
    live_indexes = await indexes(engine, retired)
    assert len(live_indexes) == 33  # the deferred ones (trigrams too) built again before the swap
    assert await indexes(engine, "public") == live_indexes


async def test_a_record_the_database_refuses_does_not_stop_a_rebuild(
    kafka_bootstrap: str, engine
) -> None:
    await publish_people(kafka_bootstrap, 3, "6300")
    refused = started(user_registered(cedula="63009999"))
    body = json.loads(refused.model_dump_json())
    body["data"]["source"] = "una-variante-de-nombre-largo"  # longer than its column
    await publish(kafka_bootstrap, refused.destination, refused.key, json.dumps(body).encode())
    await publish_people(kafka_bootstrap, 3, "6301")  # behind it
    await project_everything(kafka_bootstrap, Projector(engine))

    retired = await rebuild(kafka_bootstrap, engine)

    shared = await cedulas_of_several_accounts(kafka_bootstrap)
    live = await snapshot(engine, retired, shared)
    rebuilt = await snapshot(engine, "public", shared)
    differences = row_differences(live, rebuilt)
    assert differences == {}, pprint.pformat(differences, width=120)
    cedulas = {row[1] for row in rebuilt["users"]}
    assert {"63000000", "63010002"} <= cedulas


async def indexes(engine: AsyncEngine, schema: str) -> set[tuple[str, str]]:
    """Every index of the read tables, as (name, definition without the schema)."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = :schema"),
            {"schema": schema},
        )
        found = {(name, sql.replace(f"{schema}.", "")) for name, sql in rows}
    return {(name, sql) for name, sql in found if sql.split(" ON ")[1].split()[0] in READ_TABLES}


async def test_records_the_live_projector_applies_during_a_rebuild_are_in_the_swapped_tables(
    kafka_bootstrap: str, engine
) -> None:
    await publish_people(kafka_bootstrap, 5, "6200")
    projector = Projector(engine)
    await project_everything(kafka_bootstrap, projector)

    async def keep_projecting() -> None:
        await publish_people(kafka_bootstrap, 10, "6201")
        await project_everything(kafka_bootstrap, projector)

    live_work = asyncio.create_task(keep_projecting())
    retired = await rebuild(kafka_bootstrap, engine)
    await live_work
    await project_everything(kafka_bootstrap, projector)  # the live projector carries on

    async with engine.connect() as conn:
        cedulas = {row[0] for row in await conn.execute(text("SELECT cedula FROM users"))}
        answered = await conn.scalar(
            text("SELECT count(*) FROM census_status WHERE cedula LIKE '6201%' AND status='ACTIVE'")
        )
    assert {f"6201{i:04d}" for i in range(10)} <= cedulas
    assert answered == 10
    assert retired.startswith("retired_")
