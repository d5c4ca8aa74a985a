"""Deleting an account on the fake unit of work: the person themself or an ADMIN, never the last
active ADMIN; the key goes with the personal fields, and UserDeleted carries none of them; a
deleted account cannot be enabled, edited, promoted or given a reset link."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.events import Role, UserDeleted
from services.registration.domain.commands import (
    ChangeRole,
    DeleteAccount,
    EditUser,
    IssueResetLink,
    SetAccountState,
)
from services.registration.domain.errors import AccountDeleted, LastActiveAdmin, NotPermitted
from services.registration.domain.model import Actor, User
from services.registration.service_layer.account_admin import edit_user
from services.registration.service_layer.account_state import set_account_state
from services.registration.service_layer.deletion import delete_account
from services.registration.service_layer.password_resets import issue_reset_link
from services.registration.service_layer.roles import change_role
from tests.unit.registration.fakes import FakeDatabase, FakeUnitOfWork

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def acting(user: User) -> Actor:
    return Actor(user.id, user.role)


async def delete(db: FakeDatabase, actor: Actor | None, user: User) -> None:
    await delete_account(DeleteAccount(user.id), actor, FakeUnitOfWork(db), clock=lambda: NOW)


async def test_a_person_deletes_their_own_account_and_keeps_no_personal_field() -> None:
    db = FakeDatabase()
    leader = db.add_user(Role.LEADER)
    person = db.add_user(referrer=leader)
    await delete(db, acting(person), person)
    erased = db.users[person.id]
    assert person.id in db.erased
    assert (erased.nombre, erased.telefono) == ("Cuenta eliminada", "")
    assert person.cedula not in erased.cedula and erased.disabled
    assert erased.referrer_id == leader.id  # still counted among the leader's referrals
    (event,) = db.events(UserDeleted)
    assert event.data.user_id == person.id and event.data.deleted_by == person.id  # type: ignore[attr-defined]  # a UserDeleted


async def test_an_admin_deletes_someone_elses_account() -> None:
    db = FakeDatabase()
    admin, person = db.add_user(Role.ADMIN), db.add_user()
    await delete(db, acting(admin), person)
    assert person.id in db.erased


async def test_a_leader_cannot_delete_their_referral() -> None:
    db = FakeDatabase()
    leader = db.add_user(Role.LEADER)
    person = db.add_user(referrer=leader)
    with pytest.raises(NotPermitted):
        await delete(db, acting(leader), person)
    assert not db.erased and not db.outbox


async def test_the_last_active_admin_cannot_be_deleted_even_by_themself() -> None:
    db = FakeDatabase()
    admin = db.add_user(Role.ADMIN)
    with pytest.raises(LastActiveAdmin):
        await delete(db, acting(admin), admin)
    with pytest.raises(LastActiveAdmin):
        await delete(db, None, admin)
    assert not db.erased and not db.outbox


async def test_an_admin_may_go_while_another_remains() -> None:
    db = FakeDatabase()
    first, second = db.add_user(Role.ADMIN), db.add_user(Role.ADMIN)
    await delete(db, acting(first), second)
    assert second.id in db.erased


async def test_a_deleted_account_can_be_neither_changed_nor_revived() -> None:
    db = FakeDatabase()
    admin, person = db.add_user(Role.ADMIN), db.add_user()
    await delete(db, acting(admin), person)
    sent = len(db.outbox)
    changes = [
        set_account_state(SetAccountState(person.id, disabled=False), acting(admin), uow(db)),
        edit_user(EditUser(person.id, nombre="Otra Persona"), acting(admin), uow(db)),
        change_role(ChangeRole(person.id, "LEADER"), acting(admin), uow(db)),
        issue_reset_link(IssueResetLink(person.id), acting(admin), uow(db)),
    ]
    for change in changes:
        with pytest.raises(AccountDeleted):
            await change
    assert db.users[person.id].disabled and len(db.outbox) == sent  # nothing written


def uow(db: FakeDatabase) -> FakeUnitOfWork:
    return FakeUnitOfWork(db)
