"""The web's login check on the fake unit of work: one answer for every wrong pair, a lock-out
per cédula after too many failures, and old hashes upgraded on a successful login."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.registration.domain.commands import VerifyCredentials
from services.registration.domain.errors import InvalidCredentials, Throttled
from services.registration.domain.throttle import Limit
from services.registration.service_layer.sessions import verify_credentials
from tests.unit.registration.fakes import FakeDatabase, FakeHasher, FakeUnitOfWork

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
LOGIN = Limit("login_failure", max_hits=3, window_s=900)


async def login(db: FakeDatabase, cedula: str, password: str, at: datetime = NOW) -> object:
    cmd = VerifyCredentials(cedula, password)
    return await verify_credentials(cmd, FakeUnitOfWork(db), FakeHasher(), LOGIN, lambda: at)


async def test_the_right_password_answers_with_the_user() -> None:
    db = FakeDatabase()
    user = db.add_user(password="Girasol-2026")

    assert await login(db, user.cedula, "Girasol-2026") == user
    assert db.outbox == []  # logging in is no account event


@pytest.mark.parametrize("cedula", ["1020304001", "9999999", "no-es-cédula\x00"])
async def test_a_wrong_password_and_an_unknown_cedula_answer_alike(cedula: str) -> None:
    db = FakeDatabase()
    db.add_user(password="Girasol-2026")

    with pytest.raises(InvalidCredentials):
        await login(db, cedula, "Adivina-2026")
    assert sum(len(hits) for hits in db.hits.values()) == 1  # the failure was counted


async def test_too_many_failures_lock_the_cedula_even_for_the_right_password() -> None:
    db = FakeDatabase()
    user = db.add_user(password="Girasol-2026")
    for _ in range(LOGIN.max_hits):
        with pytest.raises(InvalidCredentials):
            await login(db, user.cedula, "Adivina-2026")

    with pytest.raises(Throttled) as locked:
        await login(db, user.cedula, "Girasol-2026")

    assert locked.value.retry_after_s == LOGIN.window_s
    after = NOW + timedelta(seconds=LOGIN.window_s + 1)
    assert await login(db, user.cedula, "Girasol-2026", at=after) == user


async def test_a_successful_login_forgets_earlier_failures() -> None:
    db = FakeDatabase()
    user = db.add_user(password="Girasol-2026")
    for _ in range(LOGIN.max_hits - 1):
        with pytest.raises(InvalidCredentials):
            await login(db, user.cedula, "Adivina-2026")

    await login(db, user.cedula, "Girasol-2026")

    assert db.hits == {}


async def test_a_login_with_an_outdated_hash_stores_a_new_one() -> None:
    db = FakeDatabase()
    user = db.add_user()
    db.users[user.id].password_hash = "old$Girasol-2026"

    await login(db, user.cedula, "Girasol-2026")

    assert db.users[user.id].password_hash == "fake$Girasol-2026"
