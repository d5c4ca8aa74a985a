"""Registration's account use cases on the fake unit of work: sign-up, profile, password."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from schemas.events import Role, UserProfileUpdated, UserRegistered
from services.registration.domain.commands import ChangePassword, RegisterUser, UpdateProfile
from services.registration.domain.errors import (
    CedulaAlreadyRegistered,
    InvalidFields,
    NotPermitted,
    Throttled,
    UserNotFound,
)
from services.registration.domain.model import Actor
from services.registration.domain.throttle import GrowingDelay, Limit
from services.registration.service_layer.accounts import (
    change_password,
    register_user,
    update_profile,
)
from services.registration.service_layer.sessions import LoginLimits
from tests.unit.registration.fakes import FakeDatabase, FakeHasher, FakeUnitOfWork

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
LOGIN = LoginLimits(
    per_cedula=GrowingDelay("login_failure", free=3, base_s=30, max_s=900, window_s=900),
    per_address=Limit("login_failure_address", max_hits=10, window_s=900),
)


def sign_up(cedula: str = "1.102.812.122", referral_code: str | None = None) -> RegisterUser:
    return RegisterUser(
        cedula=cedula,
        nombre="  Ana   María Pérez ",
        telefono="+57 300 123 4567",
        password="Girasol-2026",
        data_policy_accepted=True,
        referral_code=referral_code,
    )


async def test_registering_stores_the_account_and_its_event_in_one_commit() -> None:
    db = FakeDatabase()
    uow = FakeUnitOfWork(db)

    user = await register_user(sign_up(), uow, FakeHasher(), clock=lambda: NOW)

    assert db.users[user.id].cedula == "1102812122"
    assert db.users[user.id].nombre == "Ana María Pérez"
    assert db.users[user.id].password_hash == "fake$Girasol-2026"
    assert uow.commits == 1
    [event] = db.events()
    assert isinstance(event, UserRegistered)
    assert event.data.user_id == user.id and event.data.registered_at == NOW
    assert event.key == str(user.id).encode()


async def test_a_referral_code_links_the_new_user_to_its_leader() -> None:
    db = FakeDatabase()
    leader = db.add_user()

    user = await register_user(
        sign_up(referral_code=f" {leader.referral_code.lower()} "), FakeUnitOfWork(db), FakeHasher()
    )

    [event] = db.events()
    assert user.referrer_id == leader.id
    assert isinstance(event, UserRegistered) and event.data.referrer_id == leader.id


@pytest.mark.parametrize("code", ["NOPE", "ABCDEFGH", ""])
async def test_an_unknown_or_malformed_referral_code_registers_without_a_referrer(
    code: str,
) -> None:
    user = await register_user(sign_up(referral_code=code), FakeUnitOfWork(), FakeHasher())
    assert user.referrer_id is None


async def test_a_registered_cedula_is_refused_and_nothing_is_written() -> None:
    db = FakeDatabase()
    existing = db.add_user()

    with pytest.raises(CedulaAlreadyRegistered):
        await register_user(sign_up(cedula=existing.cedula), FakeUnitOfWork(db), FakeHasher())

    assert list(db.users) == [existing.id] and db.outbox == []


async def test_invalid_fields_are_all_reported_and_nothing_is_written() -> None:
    db = FakeDatabase()
    bad = RegisterUser("0123", "A", "12", "1234", data_policy_accepted=False)

    with pytest.raises(InvalidFields) as refused:
        await register_user(bad, FakeUnitOfWork(db), FakeHasher())

    fields = {problem.field for problem in refused.value.problems}
    assert fields == {"cedula", "nombre", "telefono", "password", "data_policy_accepted"}
    assert db.users == {} and db.outbox == []


async def test_the_owner_updates_the_profile_and_the_change_is_published() -> None:
    db = FakeDatabase()
    user = db.add_user()
    cmd = UpdateProfile(user.id, nombre="Ana Pérez", referral_goal=25)

    updated = await update_profile(cmd, Actor(user.id, user.role), FakeUnitOfWork(db))

    assert (updated.nombre, updated.referral_goal) == ("Ana Pérez", 25)
    assert db.users[user.id].referral_goal == 25
    [event] = db.events()
    assert isinstance(event, UserProfileUpdated)
    assert (event.data.nombre, event.data.referral_goal, event.correlation_id) == (
        "Ana Pérez",
        25,
        cmd.correlation_id,
    )


async def test_a_profile_update_that_changes_nothing_publishes_nothing() -> None:
    db = FakeDatabase()
    user = db.add_user()

    cmd = UpdateProfile(user.id, nombre=user.nombre)
    await update_profile(cmd, Actor(user.id, user.role), FakeUnitOfWork(db))

    assert db.outbox == []


async def test_nobody_else_may_update_a_profile_not_even_an_admin() -> None:
    db = FakeDatabase()
    user, admin = db.add_user(), db.add_user(role=Role.ADMIN)
    cmd = UpdateProfile(user.id, nombre="Otro Nombre")

    with pytest.raises(NotPermitted):
        await update_profile(cmd, Actor(admin.id, admin.role), FakeUnitOfWork(db))

    assert db.users[user.id].nombre == user.nombre and db.outbox == []


async def test_updating_a_profile_that_no_longer_exists_says_so() -> None:
    gone = uuid4()
    cmd = UpdateProfile(gone, nombre="Ana Pérez")
    with pytest.raises(UserNotFound):
        await update_profile(cmd, Actor(gone, Role.USER), FakeUnitOfWork())


async def test_changing_the_password_needs_the_current_one_and_publishes_nothing() -> None:
    db = FakeDatabase()
    user = db.add_user(password="Girasol-2026")
    cmd = ChangePassword(user.id, "Girasol-2026", "Orquidea-2027")

    await change_password(cmd, Actor(user.id, user.role), FakeUnitOfWork(db), FakeHasher(), LOGIN)

    assert db.users[user.id].password_hash == "fake$Orquidea-2027"
    assert db.outbox == []  # a password never leaves the service


async def test_wrong_current_passwords_count_as_failed_logins_until_locked() -> None:
    db = FakeDatabase()
    user = db.add_user(password="Girasol-2026")
    actor, wrong = Actor(user.id, user.role), ChangePassword(user.id, "Adivina-1", "Orquidea-2027")

    for _ in range(LOGIN.per_cedula.free):
        with pytest.raises(InvalidFields):
            await change_password(
                wrong, actor, FakeUnitOfWork(db), FakeHasher(), LOGIN, lambda: NOW
            )
    right = ChangePassword(user.id, "Girasol-2026", "Orquidea-2027")
    with pytest.raises(Throttled):
        await change_password(right, actor, FakeUnitOfWork(db), FakeHasher(), LOGIN, lambda: NOW)

    assert db.users[user.id].password_hash == "fake$Girasol-2026"
