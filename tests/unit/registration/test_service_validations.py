"""Validation requests on the fake unit of work: who may ask for whom, what is queued as a
ValidationRequested event, and the per-actor rate limit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from schemas.events import Role, ValidationReason, ValidationRequested
from services.registration.domain.commands import RequestValidation
from services.registration.domain.errors import InvalidFields, Throttled
from services.registration.domain.model import Actor
from services.registration.domain.throttle import Limit
from services.registration.service_layer.validations import (
    NOT_ALLOWED,
    NOT_FOUND,
    request_validation,
)
from tests.unit.registration.fakes import FakeDatabase, FakeUnitOfWork

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
LIMIT = Limit("validation_target", max_hits=6, window_s=60)


def refresh(*user_ids: UUID) -> RequestValidation:
    return RequestValidation(user_ids, ValidationReason.REFRESH)


def queued_for(db: FakeDatabase) -> list[UUID]:
    """Whose cédula the committed ValidationRequested events ask for, in order."""
    return [e.data.user_id for e in db.events() if isinstance(e, ValidationRequested)]


async def test_anyone_may_ask_for_their_own_cedula_to_be_checked_again() -> None:
    db = FakeDatabase()
    user = db.add_user()
    cmd = refresh(user.id)

    outcome = await request_validation(cmd, Actor(user.id, Role.USER), FakeUnitOfWork(db), LIMIT)

    assert outcome.queued == [user.id] and outcome.refused == {}
    [event] = db.events()
    assert isinstance(event, ValidationRequested)
    assert (event.data.cedula, event.data.requested_by, event.data.reason) == (
        user.cedula,
        user.id,
        ValidationReason.REFRESH,
    )
    assert event.key == user.cedula.encode() and event.correlation_id == cmd.correlation_id


async def test_a_leader_may_ask_only_for_their_direct_referrals() -> None:
    db = FakeDatabase()
    leader = db.add_user(Role.LEADER)
    referred, stranger = db.add_user(referrer=leader), db.add_user()
    actor = Actor(leader.id, Role.LEADER)

    outcome = await request_validation(
        refresh(referred.id, stranger.id), actor, FakeUnitOfWork(db), LIMIT
    )

    assert outcome.queued == [referred.id]
    assert outcome.refused == {stranger.id: NOT_ALLOWED}
    assert queued_for(db) == [referred.id]


async def test_only_an_admin_learns_that_a_target_does_not_exist() -> None:
    db = FakeDatabase()
    admin, user = db.add_user(Role.ADMIN), db.add_user()
    missing = uuid4()

    as_admin = await request_validation(
        refresh(missing), Actor(admin.id, Role.ADMIN), FakeUnitOfWork(db), LIMIT
    )
    as_user = await request_validation(
        refresh(missing), Actor(user.id, Role.USER), FakeUnitOfWork(db), LIMIT
    )

    assert as_admin.refused == {missing: NOT_FOUND}
    assert as_user.refused == {missing: NOT_ALLOWED}
    assert db.outbox == []


async def test_a_bulk_request_queues_each_target_once_in_one_commit() -> None:
    db = FakeDatabase()
    admin = db.add_user(Role.ADMIN)
    users = [db.add_user() for _ in range(5)]
    ids = [user.id for user in users]
    cmd = RequestValidation((*ids, *ids), ValidationReason.BULK_REFRESH)
    uow = FakeUnitOfWork(db)

    outcome = await request_validation(cmd, Actor(admin.id, Role.ADMIN), uow, LIMIT)

    assert outcome.queued == ids and uow.commits == 1
    assert queued_for(db) == ids
    assert {event.correlation_id for event in db.events()} == {cmd.correlation_id}


async def test_an_actor_over_the_rate_limit_waits_until_the_window_moves_on() -> None:
    db = FakeDatabase()
    user = db.add_user()
    actor = Actor(user.id, Role.USER)
    for _ in range(LIMIT.max_hits):
        await request_validation(refresh(user.id), actor, FakeUnitOfWork(db), LIMIT, lambda: NOW)

    with pytest.raises(Throttled) as throttled:
        await request_validation(refresh(user.id), actor, FakeUnitOfWork(db), LIMIT, lambda: NOW)
    later = NOW + timedelta(seconds=LIMIT.window_s + 1)
    await request_validation(refresh(user.id), actor, FakeUnitOfWork(db), LIMIT, lambda: later)

    assert throttled.value.retry_after_s == LIMIT.window_s
    assert len(db.events()) == LIMIT.max_hits + 1


async def test_the_limit_counts_targets_and_refuses_more_than_it_could_ever_allow() -> None:
    db = FakeDatabase()
    admin = db.add_user(role=Role.ADMIN)
    people = [db.add_user() for _ in range(LIMIT.max_hits + 1)]
    actor = Actor(admin.id, Role.ADMIN)
    too_many = refresh(*[p.id for p in people])
    with pytest.raises(InvalidFields):
        await request_validation(too_many, actor, FakeUnitOfWork(db), LIMIT, lambda: NOW)
    half = refresh(*[p.id for p in people[: LIMIT.max_hits // 2]])
    for _ in range(2):
        await request_validation(half, actor, FakeUnitOfWork(db), LIMIT, lambda: NOW)
    with pytest.raises(Throttled):
        await request_validation(
            refresh(people[-1].id), actor, FakeUnitOfWork(db), LIMIT, lambda: NOW
        )
