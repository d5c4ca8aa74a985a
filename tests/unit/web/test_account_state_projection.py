"""How the read model takes UserDisabled and UserEnabled: one write of the user's row (ordered
with the user's other writes), disabled since the event or enabled again; and who hears of it."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from schemas.events import Role, UserDisabled, UserDisabledData, UserEnabled, UserEnabledData
from services.web.live.audience import Change, Listener, event_names
from services.web.projection.handlers import operations
from services.web.projection.row_writes import ACCOUNT_STATE

AT = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def test_a_disabled_account_is_disabled_since_the_event() -> None:
    user_id = uuid4()
    event = UserDisabled(
        producer="tests", occurred_at=AT, data=UserDisabledData(user_id=user_id, disabled_by=None)
    )

    op, _history = operations(event)

    assert op.write is ACCOUNT_STATE
    assert op.row == {"user_id": user_id, "disabled_at": AT, "updated_at": AT}
    assert op.keys == (("users", user_id),)


def test_an_enabled_account_has_no_disabled_date() -> None:
    user_id = uuid4()
    event = UserEnabled(producer="tests", occurred_at=AT, data=UserEnabledData(user_id=user_id))

    op, _history = operations(event)

    assert op.write is ACCOUNT_STATE and op.row["disabled_at"] is None


def test_admins_hear_of_a_disabled_account_and_its_leader_of_a_referral_changed() -> None:
    user, leader = uuid4(), uuid4()
    change = Change(UserDisabled.type_name, user, leader)

    assert event_names(Listener(uuid4(), Role.ADMIN), change) == [f"change-{user}"]
    assert event_names(Listener(leader, Role.LEADER), change) == [
        f"change-{user}",
        "referral-changed",
    ]
    assert event_names(Listener(uuid4(), Role.USER), change) == []
