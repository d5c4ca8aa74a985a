"""The operator's command line (`censo admin …`) on the fake unit of work: the same use cases as
an ADMIN's (no actor, the operator named instead), each event naming the operator and no ADMIN,
and the last active ADMIN kept whoever asks."""

from __future__ import annotations

from uuid import uuid4

import pytest

from schemas.events import (
    PasswordResetIssued,
    ReferralHandedOver,
    Role,
    TemporaryPasswordSet,
    UserCedulaCorrected,
    UserEditedByAdmin,
    UserRoleChanged,
    ValidationRequested,
)
from services.registration.domain.commands import (
    ChangeRole,
    EditUser,
    HandOverReferrals,
    IssueResetLink,
    SetTemporaryPassword,
)
from services.registration.domain.errors import (
    CedulaAlreadyRegistered,
    LastActiveAdmin,
    UserNotFound,
)
from services.registration.domain.password_reset import hash_token
from services.registration.service_layer.account_admin import edit_user
from services.registration.service_layer.hand_over import hand_over_referrals
from services.registration.service_layer.password_resets import issue_reset_link
from services.registration.service_layer.roles import change_role
from services.registration.service_layer.temporary_passwords import set_temporary_password
from tests.unit.registration.fakes import FakeDatabase, FakeHasher, FakeUnitOfWork
from tests.unit.registration.test_service_sessions import LOGIN

OPERATOR = "ops-ana"


async def test_the_operator_changes_a_role_and_the_event_names_the_operator() -> None:
    db = FakeDatabase()
    user = db.add_user()

    changed = await change_role(
        ChangeRole(user.id, "LEADER", operator=OPERATOR), None, FakeUnitOfWork(db)
    )

    assert changed.role is Role.LEADER
    [event] = db.events(UserRoleChanged)
    assert (event.data.changed_by, event.data.operator) == (None, OPERATOR)  # type: ignore[attr-defined]


async def test_the_operator_cannot_demote_the_last_active_admin() -> None:
    db = FakeDatabase()
    admin = db.add_user(Role.ADMIN)

    with pytest.raises(LastActiveAdmin):
        await change_role(ChangeRole(admin.id, "USER", operator=OPERATOR), None, FakeUnitOfWork(db))

    assert db.users[admin.id].role is Role.ADMIN and db.outbox == []


async def test_the_operator_edits_a_person_and_corrects_their_cedula() -> None:
    db = FakeDatabase()
    user = db.add_user()
    cmd = EditUser(user.id, nombre="Ana María Pérez", cedula="52123456", operator=OPERATOR)

    edited = await edit_user(cmd, None, FakeUnitOfWork(db))

    assert (edited.nombre, edited.cedula) == ("Ana María Pérez", "52123456")
    [edit] = db.events(UserEditedByAdmin)
    [corrected] = db.events(UserCedulaCorrected)
    [lookup] = db.events(ValidationRequested)
    assert (edit.data.edited_by, edit.data.operator) == (None, OPERATOR)  # type: ignore[attr-defined]
    assert (corrected.data.corrected_by, corrected.data.operator) == (None, OPERATOR)  # type: ignore[attr-defined]
    assert lookup.data.requested_by is None  # type: ignore[attr-defined]


async def test_the_operator_cannot_give_a_person_a_cedula_already_taken() -> None:
    db = FakeDatabase()
    user, other = db.add_user(), db.add_user()

    with pytest.raises(CedulaAlreadyRegistered):
        cmd = EditUser(user.id, cedula=other.cedula, operator=OPERATOR)
        await edit_user(cmd, None, FakeUnitOfWork(db))

    assert db.outbox == []


async def test_the_operator_hands_referrals_over() -> None:
    db = FakeDatabase()
    old, new = db.add_user(Role.LEADER), db.add_user(Role.LEADER)
    referrals = [db.add_user(referrer=old) for _ in range(2)]

    cmd = HandOverReferrals(old.id, new.id, operator=OPERATOR)
    moved = await hand_over_referrals(cmd, None, FakeUnitOfWork(db))

    assert sorted(moved) == sorted(user.id for user in referrals)
    events = db.events(ReferralHandedOver)
    assert {(e.data.handed_over_by, e.data.operator) for e in events} == {(None, OPERATOR)}  # type: ignore[attr-defined]


async def test_the_operator_issues_a_reset_link_kept_without_an_issuer() -> None:
    db = FakeDatabase()
    user = db.add_user()

    issued = await issue_reset_link(
        IssueResetLink(user.id, operator=OPERATOR), None, FakeUnitOfWork(db)
    )

    assert db.reset_links[hash_token(issued.token)].issued_by is None
    [event] = db.events(PasswordResetIssued)
    assert (event.data.issued_by, event.data.operator) == (None, OPERATOR)  # type: ignore[attr-defined]


async def test_a_reset_link_for_an_unknown_account_is_refused_to_the_operator() -> None:
    db = FakeDatabase()

    with pytest.raises(UserNotFound):
        cmd = IssueResetLink(uuid4(), operator=OPERATOR)
        await issue_reset_link(cmd, None, FakeUnitOfWork(db))

    assert db.reset_links == {} and db.outbox == []


async def test_the_operator_sets_a_temporary_password() -> None:
    db = FakeDatabase()
    user = db.add_user()

    cmd = SetTemporaryPassword(user.id, "Temporal-2026", operator=OPERATOR)
    await set_temporary_password(cmd, None, FakeUnitOfWork(db), FakeHasher(), LOGIN)

    assert db.users[user.id].must_change_password
    [event] = db.events(TemporaryPasswordSet)
    assert (event.data.set_by, event.data.operator) == (None, OPERATOR)  # type: ignore[attr-defined]
