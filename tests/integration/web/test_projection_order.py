"""The read model does not depend on the order in which topics are read: a rebuild, a lagging
projector or a redrive may project a cédula's request after the answers that followed it."""

from __future__ import annotations

import pprint
import random
from collections import defaultdict
from datetime import timedelta

from aiokafka.structs import ConsumerRecord
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.envelope import Event
from schemas.events import (
    CedulaValidated,
    UserRegistered,
    ValidationReason,
    ValidationRequested,
    ValidationRequestedData,
)
from services.web import queries
from services.web.projection.projector import Projector
from tests.integration.web.test_projection_batch import (
    apply_in_one_transaction,
    as_consumed,
    engines,  # noqa: F401  (the fixture)
    per_topic,
    tables,
)
from tests.support.campaign import Campaign
from tests.support.events import record, started, user_registered, validated
from tests.support.tables import row_differences


def interleaved(records: list[ConsumerRecord], seed: int) -> list[ConsumerRecord]:
    """A consumer's view of several topics read at once: each partition in its order, the
    partitions taken in a random alternation."""
    queues: dict[tuple[str, int], list[ConsumerRecord]] = defaultdict(list)
    for item in records:
        queues[(item.topic, item.partition)].append(item)
    rng, order = random.Random(seed), []
    while queues:
        key = rng.choice(sorted(queues))
        order.append(queues[key].pop(0))
        if not queues[key]:
            del queues[key]
    return order


def unanswered_refreshes(events: list[Event], every: int) -> list[ValidationRequested]:
    """Refreshes asked after everything else, of every `every`-th person: no answer yet."""
    last = max(event.occurred_at for event in events)
    people = [e.data for e in events if isinstance(e, UserRegistered)][::every]
    return [
        ValidationRequested(
            producer="tests",
            occurred_at=last + timedelta(seconds=1),
            data=ValidationRequestedData(
                user_id=person.user_id, cedula=person.cedula, reason=ValidationReason.REFRESH
            ),
        )
        for person in people
    ]


async def test_any_alternation_of_the_topics_gives_the_same_tables(
    engines: tuple[AsyncEngine, AsyncEngine],  # noqa: F811
) -> None:
    by_topic, alternated = engines
    events = list(Campaign(people=120, seed=5).events())
    records = as_consumed([*events, *unanswered_refreshes(events, every=10)])
    requests = sum(b'"ValidationRequested"' in (r.value or b"") for r in records)
    assert requests >= 5  # refreshes race their own answers across topics
    projector = Projector(by_topic)
    for item in per_topic(records):
        await projector.project(item)
    for seed in range(3):
        shuffled = interleaved(records, seed)
        half = len(shuffled) // 2
        await apply_in_one_transaction(alternated, shuffled[:half])  # rebuild-sized batches
        await apply_in_one_transaction(alternated, shuffled[half:])
        differences = row_differences(await tables(by_topic), await tables(alternated))
        assert differences == {}, pprint.pformat(differences)
        async with alternated.begin() as conn:
            for table in ("census_history", "census_status", "users", "projection_positions"):
                await conn.exec_driver_sql(f"DELETE FROM {table}")


async def test_a_request_projected_after_a_newer_answer_does_not_make_it_pending_again(
    engines: tuple[AsyncEngine, AsyncEngine],  # noqa: F811
) -> None:
    _, engine = engines
    registered = user_registered(cedula="81234599")
    data = registered.data
    old_request = ValidationRequested(
        producer="tests",
        occurred_at=registered.occurred_at + timedelta(seconds=5),
        data=ValidationRequestedData(
            user_id=data.user_id, cedula=data.cedula, reason=ValidationReason.REFRESH
        ),
    )
    newer_answer = validated(registered).model_copy(
        update={"occurred_at": registered.occurred_at + timedelta(seconds=10)}
    )
    assert isinstance(newer_answer, CedulaValidated)
    await apply_in_one_transaction(engine, [record(registered, offset=1)])
    await apply_in_one_transaction(engine, [record(started(registered), offset=2)])
    await apply_in_one_transaction(engine, [record(newer_answer, offset=3)])
    await apply_in_one_transaction(engine, [record(old_request, offset=4)])  # late, other topic

    async with engine.connect() as conn:
        view = await queries.census_for_user(conn, data.user_id)
    assert view is not None and view["status"] == "ACTIVE"


async def test_a_newer_request_still_makes_an_answered_cedula_pending(
    engines: tuple[AsyncEngine, AsyncEngine],  # noqa: F811
) -> None:
    _, engine = engines
    registered = user_registered(cedula="81234598")
    data = registered.data
    answer = validated(registered)
    refresh = ValidationRequested(
        producer="tests",
        occurred_at=answer.occurred_at + timedelta(seconds=1),
        data=ValidationRequestedData(
            user_id=data.user_id, cedula=data.cedula, reason=ValidationReason.REFRESH
        ),
    )
    for offset, event in enumerate((registered, answer, refresh)):
        await apply_in_one_transaction(engine, [record(event, offset=offset)])

    async with engine.connect() as conn:
        view = await queries.census_for_user(conn, data.user_id)
    assert view is not None and view["status"] == "PENDING"
