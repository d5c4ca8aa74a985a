"""Reset links and temporary passwords on the fake unit of work: who may make a link (IDOR), a
new link revokes the old, a link is spent once, a disabled account cannot use one, failures count
per address, and every issue and use is audited without the token."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from schemas.envelope import encode_event
from schemas.events import PasswordResetCompleted, PasswordResetIssued, Role, TemporaryPasswordSet
from services.registration.domain.commands import (
    ChangePassword,
    CompleteReset,
    IssueResetLink,
    SetTemporaryPassword,
)
from services.registration.domain.errors import (
    AccountDisabled,
    InvalidFields,
    NotPermitted,
    ResetLinkInvalid,
    Throttled,
    UserNotFound,
)
from services.registration.domain.model import Actor, User
from services.registration.domain.password_reset import hash_token
from services.registration.service_layer.accounts import change_password
from services.registration.service_layer.password_resets import (
    check_reset_link,
    complete_reset,
    issue_reset_link,
)
from services.registration.service_layer.temporary_passwords import set_temporary_password
from tests.unit.registration.fakes import FakeDatabase, FakeHasher, FakeUnitOfWork
from tests.unit.registration.test_service_sessions import LOGIN, login

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
NEW = "Orquidea-Nueva-77"


def actor(user: User) -> Actor:
    return Actor(user.id, user.role)


async def issue(db: FakeDatabase, by: User, user: User, at: datetime = NOW) -> str:
    issued = await issue_reset_link(
        IssueResetLink(user.id), actor(by), FakeUnitOfWork(db), clock=lambda: at
    )
    return issued.token


async def use(
    db: FakeDatabase, token: str, password: str = NEW, at: datetime = NOW, address: str = "1.2.3.4"
) -> User:
    cmd = CompleteReset(token, password, client_address=address)
    return await complete_reset(cmd, FakeUnitOfWork(db), FakeHasher(), LOGIN, clock=lambda: at)


async def test_an_admin_makes_a_link_and_the_person_sets_a_new_password_once() -> None:
    db = FakeDatabase()
    admin, user = db.add_user(Role.ADMIN), db.add_user()
    token = await issue(db, admin, user)

    changed = await use(db, token, at=NOW + timedelta(hours=1))

    assert changed.id == user.id and db.users[user.id].password_hash == FakeHasher.PREFIX + NEW
    assert await login(db, user.cedula, NEW, at=NOW + timedelta(hours=2))
    with pytest.raises(ResetLinkInvalid):
        await use(db, token, "Otra-Clave-2026", at=NOW + timedelta(hours=1))


async def test_a_leader_makes_links_only_for_their_direct_referrals() -> None:
    db = FakeDatabase()
    leader = db.add_user(Role.LEADER)
    mine, other = db.add_user(referrer=leader), db.add_user()
    grandchild = db.add_user(referrer=mine)

    assert await issue(db, leader, mine)
    for stranger in (other, grandchild, leader):
        with pytest.raises(NotPermitted):
            await issue(db, leader, stranger)


async def test_a_user_cannot_make_links_not_even_for_someone_they_referred() -> None:
    db = FakeDatabase()
    user = db.add_user()
    referred = db.add_user(referrer=user)
    for target in (referred, user):
        with pytest.raises(NotPermitted):
            await issue(db, user, target)
    assert not db.reset_links and not db.events()


async def test_a_leader_asking_for_an_unknown_id_learns_nothing_an_admin_gets_404() -> None:
    db = FakeDatabase()
    leader, admin = db.add_user(Role.LEADER), db.add_user(Role.ADMIN)
    ghost = replace(leader, id=uuid4(), role=Role.USER, referrer_id=leader.id)  # stored nowhere
    with pytest.raises(NotPermitted):
        await issue(db, leader, ghost)
    with pytest.raises(UserNotFound):
        await issue(db, admin, ghost)


async def test_a_new_link_revokes_the_unused_one_before_it() -> None:
    db = FakeDatabase()
    admin, user = db.add_user(Role.ADMIN), db.add_user()
    first = await issue(db, admin, user)
    second = await issue(db, admin, user, at=NOW + timedelta(minutes=1))

    with pytest.raises(ResetLinkInvalid):
        await use(db, first, at=NOW + timedelta(minutes=2))
    assert (await use(db, second, at=NOW + timedelta(minutes=2))).id == user.id


async def test_an_expired_link_is_refused_like_an_unknown_one() -> None:
    db = FakeDatabase()
    admin, user = db.add_user(Role.ADMIN), db.add_user()
    token = await issue(db, admin, user)
    for bad, at in ((token, NOW + timedelta(hours=24)), ("desconocido", NOW), ("x" * 500, NOW)):
        with pytest.raises(ResetLinkInvalid):
            await use(db, bad, at=at)
    assert db.users[user.id].password_hash == user.password_hash


async def test_a_disabled_account_cannot_use_its_link() -> None:
    db = FakeDatabase()
    admin, user = db.add_user(Role.ADMIN), db.add_user()
    token = await issue(db, admin, user)
    db.users[user.id].disabled_at = NOW

    with pytest.raises(AccountDisabled):
        await use(db, token)
    assert db.reset_links[hash_token(token)].used_at is None


async def test_the_new_password_follows_the_sign_up_rules_and_the_link_is_kept() -> None:
    db = FakeDatabase()
    admin, user = db.add_user(Role.ADMIN), db.add_user()
    token = await issue(db, admin, user)
    for weak in ("corta", "12345678901", user.cedula):
        with pytest.raises(InvalidFields):
            await use(db, token, weak)
    assert (await use(db, token)).id == user.id


async def test_failed_links_count_against_the_address_as_failed_logins_do() -> None:
    db = FakeDatabase()
    for attempt in range(LOGIN.per_address.max_hits):
        with pytest.raises(ResetLinkInvalid):
            await check_reset_link(f"adivinado{attempt}", "6.6.6.6", FakeUnitOfWork(db), LOGIN)
    with pytest.raises(Throttled):
        await check_reset_link("otro", "6.6.6.6", FakeUnitOfWork(db), LOGIN)


async def test_issue_and_use_are_audited_without_the_token_or_its_hash() -> None:
    db = FakeDatabase()
    admin, user = db.add_user(Role.ADMIN), db.add_user()
    token = await issue(db, admin, user)
    await use(db, token)

    issued, completed = db.events()
    assert isinstance(issued, PasswordResetIssued) and isinstance(completed, PasswordResetCompleted)
    assert (issued.data.user_id, issued.data.issued_by) == (user.id, admin.id)
    assert issued.data.expires_at == NOW + timedelta(hours=24)
    assert completed.data.user_id == user.id
    for event in (issued, completed):
        record = encode_event(event)[1].decode()
        assert token not in record and hash_token(token) not in record


async def test_an_admin_sets_a_temporary_password_that_must_be_changed() -> None:
    db = FakeDatabase()
    admin, user = db.add_user(Role.ADMIN), db.add_user()
    old_link = await issue(db, admin, user)
    cmd = SetTemporaryPassword(user.id, "Temporal-2026")
    await set_temporary_password(cmd, actor(admin), FakeUnitOfWork(db), FakeHasher(), LOGIN)

    assert db.users[user.id].must_change_password
    logged_in = await login(db, user.cedula, "Temporal-2026")
    assert isinstance(logged_in, User) and logged_in.must_change_password
    [event] = db.events(TemporaryPasswordSet)
    assert (event.data.user_id, event.data.set_by) == (user.id, admin.id)
    with pytest.raises(ResetLinkInvalid):  # a link made before no longer works
        await use(db, old_link)


async def test_only_an_admin_sets_temporary_passwords() -> None:
    db = FakeDatabase()
    leader = db.add_user(Role.LEADER)
    referred = db.add_user(referrer=leader)
    cmd = SetTemporaryPassword(referred.id, "Temporal-2026")
    with pytest.raises(NotPermitted):
        await set_temporary_password(cmd, actor(leader), FakeUnitOfWork(db), FakeHasher(), LOGIN)


async def test_a_reset_clears_the_must_change_flag() -> None:
    db = FakeDatabase()
    admin, user = db.add_user(Role.ADMIN), db.add_user()
    db.users[user.id].must_change_password = True
    assert not (await use(db, await issue(db, admin, user))).must_change_password


async def test_changing_the_temporary_password_clears_the_flag() -> None:
    db = FakeDatabase()
    admin, user = db.add_user(Role.ADMIN), db.add_user()
    cmd = SetTemporaryPassword(user.id, "Temporal-2026")
    await set_temporary_password(cmd, actor(admin), FakeUnitOfWork(db), FakeHasher(), LOGIN)

    change = ChangePassword(user.id, "Temporal-2026", NEW)
    await change_password(change, actor(user), FakeUnitOfWork(db), FakeHasher(), LOGIN)
    assert not db.users[user.id].must_change_password
