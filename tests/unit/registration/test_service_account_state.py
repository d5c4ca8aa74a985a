"""Disabling and enabling accounts on the fake unit of work: ADMIN only (or the operator's
command line), each change published with who made it, and never the last active ADMIN, whether
disabled or demoted. A disabled account neither logs in nor acts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.events import Role, UserDisabled, UserEnabled
from services.registration.domain.commands import ChangeRole, SetAccountState
from services.registration.domain.errors import (
    AccountDisabled,
    InvalidCredentials,
    LastActiveAdmin,
    NotPermitted,
    UserNotFound,
)
from services.registration.domain.last_admin import check_an_admin_remains
from services.registration.domain.model import Actor, User
from services.registration.service_layer.account_state import set_account_state
from services.registration.service_layer.roles import change_role, resolve_actor
from tests.unit.registration.fakes import FakeDatabase, FakeUnitOfWork
from tests.unit.registration.test_service_sessions import login

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def admin_of(user: User) -> Actor:
    return Actor(user.id, user.role)


async def disable(db: FakeDatabase, actor: Actor | None, user: User, **kw: object) -> User:
    return await set_account_state(
        SetAccountState(user.id, True, **kw),  # type: ignore[arg-type] # operator only
        actor,
        FakeUnitOfWork(db),
        clock=lambda: NOW,
    )


async def test_an_admin_disables_a_user_and_the_change_is_published_with_who() -> None:
    db = FakeDatabase()
    admin, user = db.add_user(Role.ADMIN), db.add_user()

    changed = await disable(db, admin_of(admin), user)

    assert changed.disabled and db.users[user.id].disabled_at == NOW
    [event] = db.events()
    assert isinstance(event, UserDisabled)
    assert (event.data.user_id, event.data.disabled_by, event.data.operator) == (
        user.id,
        admin.id,
        None,
    )


async def test_enabling_again_publishes_user_enabled_and_referrals_stay() -> None:
    db = FakeDatabase()
    admin = db.add_user(Role.ADMIN)
    leader = db.add_user(Role.LEADER)
    referral = db.add_user(referrer=leader)
    await disable(db, admin_of(admin), leader)

    cmd = SetAccountState(leader.id, False)
    enabled = await set_account_state(cmd, admin_of(admin), FakeUnitOfWork(db))

    assert not enabled.disabled and db.users[leader.id].disabled_at is None
    assert isinstance(db.events()[-1], UserEnabled)
    assert db.events()[-1].data.enabled_by == admin.id  # type: ignore[attr-defined]
    assert db.users[referral.id].referrer_id == leader.id


@pytest.mark.parametrize("role", [Role.USER, Role.LEADER])
async def test_only_an_admin_disables_accounts(role: Role) -> None:
    db = FakeDatabase()
    actor, user = db.add_user(role), db.add_user(referrer=None)

    with pytest.raises(NotPermitted):
        await disable(db, Actor(actor.id, role), user)

    assert not db.users[user.id].disabled and db.outbox == []


async def test_the_command_line_disables_with_the_operator_named() -> None:
    db = FakeDatabase()
    user = db.add_user()

    await disable(db, None, user, operator="ops-ana")

    [event] = db.events(UserDisabled)
    assert (event.data.disabled_by, event.data.operator) == (None, "ops-ana")  # type: ignore[attr-defined]


async def test_disabling_a_disabled_account_publishes_nothing_more() -> None:
    db = FakeDatabase()
    admin, user = db.add_user(Role.ADMIN), db.add_user()
    await disable(db, admin_of(admin), user)

    await disable(db, admin_of(admin), user)

    assert len(db.events()) == 1


async def test_an_unknown_user_is_not_found() -> None:
    db = FakeDatabase()
    admin = db.add_user(Role.ADMIN)
    stranger = FakeDatabase().add_user()

    with pytest.raises(UserNotFound):
        await disable(db, admin_of(admin), stranger)


async def test_the_last_active_admin_cannot_be_disabled_even_by_themselves() -> None:
    db = FakeDatabase()
    admin = db.add_user(Role.ADMIN)
    uow = FakeUnitOfWork(db)

    with pytest.raises(LastActiveAdmin, match="única de administrador activa"):
        await set_account_state(SetAccountState(admin.id, True), admin_of(admin), uow)
    with pytest.raises(LastActiveAdmin):
        await disable(db, None, admin, operator="ops")

    assert uow.users.admins_locked and not db.users[admin.id].disabled and db.outbox == []


async def test_the_last_active_admin_cannot_be_demoted() -> None:
    db = FakeDatabase()
    admin = db.add_user(Role.ADMIN)
    other = db.add_user(Role.ADMIN)
    await disable(db, admin_of(admin), other)  # a disabled admin does not count

    with pytest.raises(LastActiveAdmin):
        await change_role(ChangeRole(admin.id, "LEADER"), admin_of(admin), FakeUnitOfWork(db))

    assert db.users[admin.id].role is Role.ADMIN


async def test_one_of_two_active_admins_may_be_demoted_or_disabled() -> None:
    db = FakeDatabase()
    first, second = db.add_user(Role.ADMIN), db.add_user(Role.ADMIN)

    await change_role(ChangeRole(second.id, "USER"), admin_of(first), FakeUnitOfWork(db))
    promoted = db.add_user(Role.ADMIN)
    await disable(db, admin_of(first), promoted)

    assert db.users[second.id].role is Role.USER and db.users[promoted.id].disabled


async def test_a_disabled_admin_may_be_demoted_and_any_user_promoted() -> None:
    db = FakeDatabase()
    admin, other = db.add_user(Role.ADMIN), db.add_user(Role.ADMIN)
    await disable(db, admin_of(admin), other)

    await change_role(ChangeRole(other.id, "USER"), admin_of(admin), FakeUnitOfWork(db))

    assert db.users[other.id].role is Role.USER


def test_the_rule_counts_only_a_change_that_takes_an_active_admin_away() -> None:
    db = FakeDatabase()
    admin, user = db.add_user(Role.ADMIN), db.add_user()
    demoted = User(**{**vars(admin), "role": Role.USER})
    check_an_admin_remains(admin, demoted, active_admins=2)
    check_an_admin_remains(user, user, active_admins=1)
    with pytest.raises(LastActiveAdmin):
        check_an_admin_remains(admin, demoted, active_admins=1)


async def test_a_disabled_account_is_told_so_only_with_the_right_password() -> None:
    db = FakeDatabase()
    admin, user = db.add_user(Role.ADMIN), db.add_user()
    await disable(db, admin_of(admin), user)

    with pytest.raises(InvalidCredentials):
        await login(db, user.cedula, "wrong-password")
    with pytest.raises(AccountDisabled):
        await login(db, user.cedula, "Girasol-2026")


async def test_a_disabled_account_acts_no_more() -> None:
    db = FakeDatabase()
    admin, other = db.add_user(Role.ADMIN), db.add_user(Role.ADMIN)
    await disable(db, admin_of(admin), other)

    with pytest.raises(AccountDisabled):
        await resolve_actor(other.id, FakeUnitOfWork(db))
