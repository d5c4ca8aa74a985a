"""The web's login check on the fake unit of work: one answer for every wrong pair, growing waits
per cédula after too many failures, a limit per client address across cédulas, the hash checked
outside any transaction, and old hashes upgraded on a successful login."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.registration.domain.commands import VerifyCredentials
from services.registration.domain.errors import InvalidCredentials, Throttled
from services.registration.domain.throttle import GrowingDelay, Limit
from services.registration.service_layer.sessions import LoginLimits, verify_credentials
from tests.unit.registration.fakes import FakeDatabase, FakeHasher, FakeUnitOfWork

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
LOGIN = LoginLimits(
    per_cedula=GrowingDelay("login_failure", free=3, base_s=30, max_s=900, window_s=900),
    per_address=Limit("login_failure_address", max_hits=10, window_s=900),
)


async def login(
    db: FakeDatabase,
    cedula: str,
    password: str,
    at: datetime = NOW,
    address: str | None = "190.0.0.1",
    hasher: FakeHasher | None = None,
) -> object:
    cmd = VerifyCredentials(cedula, password, address)
    return await verify_credentials(
        cmd, FakeUnitOfWork(db), hasher or FakeHasher(), LOGIN, lambda: at
    )


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
    assert sum(len(hits) for hits in db.hits.values()) == 2  # counted: cédula and address


async def test_too_many_failures_lock_the_cedula_even_for_the_right_password() -> None:
    db = FakeDatabase()
    user = db.add_user(password="Girasol-2026")
    for _ in range(LOGIN.per_cedula.free):
        with pytest.raises(InvalidCredentials):
            await login(db, user.cedula, "Adivina-2026")

    with pytest.raises(Throttled) as locked:
        await login(db, user.cedula, "Girasol-2026")

    assert locked.value.retry_after_s == LOGIN.per_cedula.base_s  # a wait, not a lock-out
    after = NOW + timedelta(seconds=LOGIN.per_cedula.base_s)
    assert await login(db, user.cedula, "Girasol-2026", at=after) == user


async def test_one_password_tried_across_many_cedulas_stops_that_address_only() -> None:
    db = FakeDatabase()
    user = db.add_user(password="Girasol-2026")
    for index in range(LOGIN.per_address.max_hits):
        with pytest.raises(InvalidCredentials):
            await login(db, f"10203040{index:02d}", "Clave-Comun-2026")

    with pytest.raises(Throttled, match="desde esta conexión"):
        await login(db, user.cedula, "Girasol-2026")
    assert await login(db, user.cedula, "Girasol-2026", address="181.0.0.9") == user


async def test_a_successful_login_forgets_the_cedulas_failures_not_the_addresss() -> None:
    db = FakeDatabase()
    user = db.add_user(password="Girasol-2026")
    for _ in range(LOGIN.per_cedula.free - 1):
        with pytest.raises(InvalidCredentials):
            await login(db, user.cedula, "Adivina-2026")

    await login(db, user.cedula, "Girasol-2026")

    assert {scope for scope, _ in db.hits} == {"login_failure_address"}


async def test_a_login_with_an_outdated_hash_stores_a_new_one() -> None:
    db = FakeDatabase()
    user = db.add_user()
    db.users[user.id].password_hash = "old$Girasol-2026"

    await login(db, user.cedula, "Girasol-2026")

    assert db.users[user.id].password_hash == "fake$Girasol-2026"


async def test_the_hash_is_checked_while_no_transaction_is_open() -> None:
    db = FakeDatabase()
    user = db.add_user(password="Girasol-2026")
    open_transactions: list[int] = []

    class WatchingHasher(FakeHasher):
        async def verify(self, password_hash: str | None, password: str) -> bool:
            open_transactions.append(db.open_units)
            return await super().verify(password_hash, password)

    await login(db, user.cedula, "Girasol-2026", hasher=WatchingHasher())
    with pytest.raises(InvalidCredentials):
        await login(db, user.cedula, "Adivina-2026", hasher=WatchingHasher())
    assert open_transactions == [0, 0]
