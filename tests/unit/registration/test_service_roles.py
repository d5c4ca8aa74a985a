"""Role changes on the fake unit of work: only an ADMIN changes roles, and each change is
published with who made it; the acting user's role is read from the service's own accounts."""

from __future__ import annotations

from uuid import uuid4

import pytest

from schemas.events import Role, UserRoleChanged
from services.registration.domain.commands import ChangeRole
from services.registration.domain.errors import (
    InvalidFields,
    NotPermitted,
    UnknownActor,
    UserNotFound,
)
from services.registration.domain.model import Actor
from services.registration.service_layer.roles import change_role, resolve_actor
from tests.unit.registration.fakes import FakeDatabase, FakeUnitOfWork


async def test_an_admin_makes_a_user_leader_and_the_change_is_published() -> None:
    db = FakeDatabase()
    admin, user = db.add_user(Role.ADMIN), db.add_user()
    cmd = ChangeRole(user.id, " leader ")

    changed = await change_role(cmd, Actor(admin.id, Role.ADMIN), FakeUnitOfWork(db))

    assert changed.role is Role.LEADER and db.users[user.id].role is Role.LEADER
    [event] = db.events()
    assert isinstance(event, UserRoleChanged)
    assert (event.data.role, event.data.previous_role, event.data.changed_by) == (
        Role.LEADER,
        Role.USER,
        admin.id,
    )
    assert event.correlation_id == cmd.correlation_id


@pytest.mark.parametrize("role", [Role.USER, Role.LEADER])
async def test_only_an_admin_changes_roles(role: Role) -> None:
    db = FakeDatabase()
    actor, user = db.add_user(role), db.add_user()

    with pytest.raises(NotPermitted):
        await change_role(ChangeRole(user.id, "ADMIN"), Actor(actor.id, role), FakeUnitOfWork(db))

    assert db.users[user.id].role is Role.USER and db.outbox == []


async def test_setting_the_role_a_user_already_has_publishes_nothing() -> None:
    db = FakeDatabase()
    admin, leader = db.add_user(Role.ADMIN), db.add_user(Role.LEADER)

    await change_role(
        ChangeRole(leader.id, "LEADER"), Actor(admin.id, Role.ADMIN), FakeUnitOfWork(db)
    )

    assert db.outbox == []


async def test_an_unknown_role_or_user_is_refused() -> None:
    db = FakeDatabase()
    admin = Actor(db.add_user(Role.ADMIN).id, Role.ADMIN)

    with pytest.raises(InvalidFields):
        await change_role(ChangeRole(admin.id, "SUPERUSER"), admin, FakeUnitOfWork(db))
    with pytest.raises(UserNotFound):
        await change_role(ChangeRole(uuid4(), "LEADER"), admin, FakeUnitOfWork(db))
    assert db.outbox == []


async def test_the_acting_users_role_comes_from_the_accounts_not_the_caller() -> None:
    db = FakeDatabase()
    leader = db.add_user(Role.LEADER)

    assert await resolve_actor(leader.id, FakeUnitOfWork(db)) == Actor(leader.id, Role.LEADER)
    with pytest.raises(UnknownActor):
        await resolve_actor(uuid4(), FakeUnitOfWork(db))
