"""Batches of records (a rebuild's thousands) give exactly the rows of one record at a time."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import zlib
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable

import pytest
from aiokafka.structs import ConsumerRecord
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas import topics
from schemas.envelope import Event, encode_event
from services.common.db import make_engine
from services.common.migrations import migrate
from services.web import queries
from services.web.adapters.tables import census_history, census_status, projection_positions, users
from services.web.projection.projector import Projector, apply_records, decode
from services.web.projection.rebuild import WEB_MIGRATIONS
from tests.support.campaign import Campaign
from tests.support.events import record, started, user_registered, validated
from tests.support.tables import row_differences

PARTITIONS = {spec.name: spec.partitions for spec in topics.ALL_TOPICS}


@pytest.fixture
async def engines(
    create_database: Callable[[str], str],
) -> AsyncIterator[tuple[AsyncEngine, AsyncEngine]]:
    pair = (make_engine(create_database("one_by_one")), make_engine(create_database("batched")))
    for engine in pair:
        await migrate(engine, WEB_MIGRATIONS)
    yield pair
    for engine in pair:
        await engine.dispose()


def as_consumed(events: Iterable[Event]) -> list[ConsumerRecord]:
    """Records as the producers would write them: partition by key, offsets in order."""
    offsets: Counter[tuple[str, int]] = Counter()
    consumed = []
    for event in events:
        partition = zlib.crc32(event.key) % PARTITIONS[event.destination]
        consumed.append(
            record(event, offset=offsets[(event.destination, partition)], partition=partition)
        )
        offsets[(event.destination, partition)] += 1
    return consumed


def per_topic(records: list[ConsumerRecord]) -> list[ConsumerRecord]:
    """A consumer's view: each topic whole, one after the other (the worst case for order)."""
    return sorted(records, key=lambda r: (r.topic, r.partition, r.offset))


async def apply_in_one_transaction(engine: AsyncEngine, records: list[ConsumerRecord]) -> int:
    decoded = [(r, decode(r)) for r in records]
    async with engine.begin() as conn:
        return len(await apply_records(conn, decoded))


async def tables(engine: AsyncEngine) -> dict[str, set[tuple]]:
    async with engine.connect() as conn:
        return {
            table.name: {tuple(row) for row in await conn.execute(select(table))}
            for table in (users, census_status, census_history, projection_positions)
        }


async def test_a_whole_campaign_in_one_batch_gives_the_rows_of_one_record_at_a_time(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    one_by_one, batched = engines
    records = per_topic(as_consumed(Campaign(people=150, seed=11).events()))
    cedulas = Counter(getattr(decode(r).data, "cedula", None) for r in records)
    assert max(cedulas.values()) >= 5  # several events of one cédula share the batch

    projector = Projector(one_by_one)
    for item in records:
        assert await projector.project(item) is True
    assert await apply_in_one_transaction(batched, records) == len(records)

    expected, got = await tables(one_by_one), await tables(batched)
    assert row_differences(expected, got) == {}
    assert {row[2] for row in got["census_status"]} >= {"ACTIVE", "NOT_FOUND"}


async def test_records_already_applied_or_repeated_in_the_batch_are_skipped(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    _, engine = engines
    records = as_consumed(Campaign(people=20, seed=3).events())
    first, rest = records[:30], records[30:]
    assert await apply_in_one_transaction(engine, first) == len(first)
    before = await tables(engine)

    replay = [*first, *first[:5]]  # a replay from the start, and a redelivery within it
    assert await apply_in_one_transaction(engine, replay) == 0
    assert await tables(engine) == before

    mixed = [*first[10:], *rest, *rest[:7]]
    assert await apply_in_one_transaction(engine, mixed) == len(rest)
    async with engine.connect() as conn:
        history = await conn.scalar(select(func.count()).select_from(census_history))
    answers = sum(r.topic == topics.CENSUS_RESULTS.name for r in records) - sum(
        b'"ValidationStarted"' in (r.value or b"") for r in records
    )
    assert history == answers


async def test_a_late_started_event_in_the_same_batch_does_not_hide_the_answer(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    _, engine = engines
    registered = user_registered(cedula="81234567")
    offsets = itertools.count(500)
    stream = [
        record(registered, offset=next(offsets)),
        record(validated(registered), offset=next(offsets)),
        record(started(registered), offset=next(offsets)),  # redelivered by the worker, late
    ]
    await apply_in_one_transaction(engine, stream)

    async with engine.connect() as conn:
        view = await queries.census_for_user(conn, registered.data.user_id)
    assert view is not None and view["status"] == "ACTIVE"


async def test_a_record_that_cannot_be_decoded_is_not_claimed(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    engine, _ = engines
    broken = record(user_registered(cedula="91234567"), offset=7)
    broken = dataclasses.replace(broken, value=b"{not json")
    with pytest.raises(ValueError):
        await Projector(engine).project(broken)
    assert (await tables(engine))["projection_positions"] == set()


def test_events_encode_as_the_campaign_says() -> None:
    """The builders and the codec agree (the benchmark relies on it)."""
    for event in itertools.islice(Campaign(people=5).events(), 20):
        assert decode(record(event)) == event
        assert encode_event(event)[0] == event.key


async def test_two_projectors_handed_the_same_record_apply_it_once(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    """A rebalance can hand one record to two web processes at once, even the very first record
    of a partition (no position row yet): the second waits for the first, then skips it."""
    engine, _ = engines
    registered = user_registered(cedula="61234567")
    first_of_partition = record(registered, offset=0, partition=5)
    outcomes = await asyncio.gather(
        Projector(engine).project(first_of_partition), Projector(engine).project(first_of_partition)
    )
    assert sorted(outcomes) == [False, True]
    rows = await tables(engine)
    assert len(rows["users"]) == 1
    assert rows["projection_positions"] == {(registered.topic, 5, 0)}


async def test_a_value_too_long_for_its_column_is_refused_not_cut(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    engine, _ = engines
    registered = user_registered(cedula="71234568")
    lookup = started(registered)
    too_long = lookup.model_copy(
        update={"data": lookup.data.model_copy(update={"source": "x" * 21})}
    )
    projector = Projector(engine)
    await projector.project(record(registered, offset=900))
    with pytest.raises(DBAPIError, match="too long"):
        await projector.project(record(too_long, offset=901))


async def test_rows_hold_the_events_values_exactly(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    """Times to the microsecond, ids, accents: nothing is lost on the way to the tables."""
    engine, _ = engines
    registered = user_registered(cedula="41234567")
    answer = validated(registered)
    await apply_in_one_transaction(engine, [record(registered), record(answer)])

    async with engine.connect() as conn:
        user = (await conn.execute(select(users))).one()._asdict()
        status = (await conn.execute(select(census_status))).one()._asdict()
    data = registered.data
    assert user["registered_at"] == data.registered_at and user["nombre"] == "Ana María Pérez"
    assert user["updated_at"] == registered.occurred_at and user["user_id"] == data.user_id
    assert status["fetched_at"] == answer.data.fetched_at
    assert status["updated_at"] == answer.occurred_at
    assert status["request_id"] == registered.event_id and status["puesto"] == "IE SAN JOSE C I P"
