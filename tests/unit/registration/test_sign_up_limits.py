"""Sign-ups from one address are bounded, and past a few of them (or past a campaign-wide rate)
the new account's first census lookup waits in the bulk lane: its UserRegistered asks for no
lookup and a ValidationRequested on the bulk lane carries it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from schemas.events import (
    CENSUS_LOOKUP_HEADER,
    DEFERRED_LOOKUP,
    UserRegistered,
    ValidationReason,
    ValidationRequested,
)
from services.registration.domain.commands import RegisterUser
from services.registration.domain.errors import Throttled
from services.registration.domain.throttle import Limit
from services.registration.service_layer.accounts import register_user
from services.registration.service_layer.sign_up_limits import SignUpLimits
from tests.unit.registration.fakes import FakeDatabase, FakeHasher, FakeUnitOfWork

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
LIMITS = SignUpLimits(
    per_address=Limit("sign_up_address", max_hits=5, window_s=3600),
    interactive_per_address=2,
    interactive_everyone=Limit("sign_up_looked_up_now", max_hits=4, window_s=60),
)


async def sign_up(db: FakeDatabase, number: int, address: str | None, at: datetime = NOW):  # type: ignore[no-untyped-def]
    cmd = RegisterUser(
        cedula=str(1_020_300_000 + number),
        nombre="Ana María Pérez",
        telefono="3001234567",
        password="Girasol-2026",
        data_policy_accepted=True,
        client_address=address,
    )
    return await register_user(cmd, FakeUnitOfWork(db), FakeHasher(), lambda: at, LIMITS)


def deferred(db: FakeDatabase, user_id: object) -> bool:
    registered = next(
        e
        for e in db.events(UserRegistered)
        if e.data.user_id == user_id  # type: ignore[attr-defined]
    )
    headers = db.outbox_headers.get(registered.event_id, {})
    return headers.get(CENSUS_LOOKUP_HEADER) == DEFERRED_LOOKUP


async def test_an_address_gets_a_few_lookups_now_then_the_bulk_lane_then_a_refusal() -> None:
    db = FakeDatabase()
    users = [await sign_up(db, n, "190.24.5.7") for n in range(LIMITS.per_address.max_hits)]

    assert [deferred(db, user.id) for user in users] == [False, False, True, True, True]
    later = [e for e in db.events(ValidationRequested)]
    assert [e.data.user_id for e in later] == [user.id for user in users[2:]]
    assert {e.data.reason for e in later} == {ValidationReason.BULK_REFRESH}
    assert {e.destination for e in later} == {"census.requests.bulk"}
    with pytest.raises(Throttled, match="desde esta conexión"):
        await sign_up(db, 99, "190.24.5.7")
    assert not deferred(db, (await sign_up(db, 98, "181.50.1.2")).id)  # another address


async def test_past_the_campaign_wide_rate_lookups_wait_whoever_signs_up() -> None:
    db = FakeDatabase()
    users = [await sign_up(db, n, f"190.0.0.{n}") for n in range(6)]
    assert [deferred(db, user.id) for user in users] == [False] * 4 + [True] * 2
    a_minute_later = await sign_up(db, 50, "190.0.1.1", NOW + timedelta(seconds=61))
    assert not deferred(db, a_minute_later.id)


async def test_an_admins_command_line_account_is_not_limited() -> None:
    db = FakeDatabase()
    cmd = RegisterUser(
        cedula="1020304050",
        nombre="Ana María Pérez",
        telefono="3001234567",
        password="Girasol-2026",
        data_policy_accepted=True,
    )
    user = await register_user(cmd, FakeUnitOfWork(db), FakeHasher(), lambda: NOW)
    assert not deferred(db, user.id) and db.hits == {}
