"""Leader hand-over on the fake unit of work: an ADMIN moves all or some of a leader's direct
referrals to another active leader, one ReferralHandedOver per referral, and nothing else moves."""

from __future__ import annotations

import pytest

from schemas.events import ReferralHandedOver, Role
from services.registration.domain.commands import HandOverReferrals
from services.registration.domain.errors import InvalidFields, NotPermitted, UserNotFound
from services.registration.domain.model import Actor, User
from services.registration.service_layer.hand_over import hand_over_referrals
from tests.unit.registration.fakes import FakeDatabase, FakeUnitOfWork


def actor(user: User) -> Actor:
    return Actor(user.id, user.role)


async def hand_over(
    db: FakeDatabase, by: User, origin: User, destination: User, chosen: list[User] | None = None
) -> list:
    ids = tuple(user.id for user in chosen) if chosen is not None else None
    cmd = HandOverReferrals(origin.id, destination.id, ids)
    return await hand_over_referrals(cmd, actor(by), FakeUnitOfWork(db))


def campaign() -> tuple[FakeDatabase, User, User, User, list[User]]:
    db = FakeDatabase()
    admin = db.add_user(Role.ADMIN)
    old, new = db.add_user(Role.LEADER), db.add_user(Role.LEADER)
    referrals = [db.add_user(referrer=old) for _ in range(3)]
    return db, admin, old, new, referrals


async def test_an_admin_hands_all_referrals_over_with_one_event_each() -> None:
    db, admin, old, new, referrals = campaign()

    moved = await hand_over(db, admin, old, new)

    assert sorted(moved) == sorted(user.id for user in referrals)
    assert all(db.users[user.id].referrer_id == new.id for user in referrals)
    events = db.events()
    assert all(isinstance(event, ReferralHandedOver) for event in events)
    assert sorted((e.data.user_id, e.data.from_leader_id, e.data.to_leader_id) for e in events) == (
        sorted((user.id, old.id, new.id) for user in referrals)
    )
    assert {e.data.handed_over_by for e in events} == {admin.id}
    assert len({e.correlation_id for e in events}) == 1


async def test_only_the_chosen_referrals_move() -> None:
    db, admin, old, new, referrals = campaign()

    await hand_over(db, admin, old, new, [referrals[1]])

    assert [db.users[user.id].referrer_id for user in referrals] == [old.id, new.id, old.id]
    assert [event.data.user_id for event in db.events()] == [referrals[1].id]  # type: ignore[attr-defined]


async def test_someone_not_referred_by_the_origin_cannot_be_chosen() -> None:
    db, admin, old, new, _ = campaign()
    stranger = db.add_user(referrer=new)

    with pytest.raises(InvalidFields) as refused:
        await hand_over(db, admin, old, new, [stranger])

    assert refused.value.problems[0].field == "user_ids" and db.events() == []


@pytest.mark.parametrize("role", [Role.USER, Role.LEADER])
async def test_only_an_admin_hands_referrals_over(role: Role) -> None:
    db, _, old, new, referrals = campaign()
    someone = db.add_user(role)

    with pytest.raises(NotPermitted):
        await hand_over(db, someone, old, new)
    with pytest.raises(NotPermitted):  # not even the old leader, giving their own away
        await hand_over(db, old, old, new)
    assert all(db.users[user.id].referrer_id == old.id for user in referrals)


async def test_the_destination_must_be_another_active_leader() -> None:
    db, admin, old, _, _ = campaign()
    plain_user = db.add_user()

    for destination, why in ((old, "otra persona"), (plain_user, "rol de líder")):
        with pytest.raises(InvalidFields) as refused:
            await hand_over(db, admin, old, destination)
        assert refused.value.problems[0].field == "to_leader_id"
        assert why in refused.value.problems[0].message
    assert db.events() == []


async def test_a_disabled_leader_cannot_receive_referrals() -> None:
    db, admin, old, new, _ = campaign()
    db.users[new.id].disabled_at = db.users[new.id].registered_at

    with pytest.raises(InvalidFields, match="desactivada"):
        await hand_over(db, admin, old, new)


async def test_an_admin_can_receive_referrals() -> None:
    db, admin, old, _, referrals = campaign()

    await hand_over(db, admin, old, admin)

    assert all(db.users[user.id].referrer_id == admin.id for user in referrals)


async def test_a_destination_referred_by_the_origin_is_not_moved_under_itself() -> None:
    db, admin, old, _, referrals = campaign()
    successor = db.add_user(Role.LEADER, referrer=old)

    moved = await hand_over(db, admin, old, successor)

    assert successor.id not in moved and db.users[successor.id].referrer_id == old.id
    assert all(db.users[user.id].referrer_id == successor.id for user in referrals)
    with pytest.raises(InvalidFields, match="sí mismo"):
        await hand_over(db, admin, old, successor, [db.users[successor.id]])


async def test_a_leader_without_referrals_has_nothing_to_hand_over() -> None:
    db, admin, old, new, _ = campaign()

    with pytest.raises(InvalidFields, match="no tiene referidos"):
        await hand_over(db, admin, new, old)


async def test_unknown_leaders_are_refused() -> None:
    db, admin, old, new, _ = campaign()
    ghost = FakeDatabase().add_user(Role.LEADER)

    with pytest.raises(UserNotFound):
        await hand_over(db, admin, ghost, new)
    with pytest.raises(InvalidFields, match="no existe"):
        await hand_over(db, admin, old, ghost)
