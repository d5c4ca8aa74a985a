"""How the read model takes an ADMIN's account administration: an edit writes the profile's
columns, a corrected cédula renames the person's row and shows the new lookup PENDING, a
hand-over changes the leader; each account event adds one history row keyed by the event; and who
hears of a hand-over."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from schemas.envelope import Event
from schemas.events import (
    PasswordResetIssued,
    PasswordResetIssuedData,
    ReferralHandedOver,
    ReferralHandedOverData,
    Role,
    TemporaryPasswordSet,
    TemporaryPasswordSetData,
    UserCedulaCorrected,
    UserCedulaCorrectedData,
    UserEditedByAdmin,
    UserEditedByAdminData,
    UserRoleChanged,
    UserRoleChangedData,
)
from services.web.live.audience import Change, Listener, event_names
from services.web.live.hub import Hub
from services.web.projection.account_admin import CEDULA, REFERRER
from services.web.projection.account_history import ENTRY
from services.web.projection.handlers import operations
from services.web.projection.row_writes import PROFILE, REQUESTED

AT = datetime(2026, 12, 4, 19, 0, tzinfo=UTC)


def test_an_admins_edit_writes_the_profile_and_a_history_row_with_what_changed() -> None:
    user, admin = uuid4(), uuid4()
    data = UserEditedByAdminData(
        user_id=user,
        nombre="Ana Pérez",
        telefono="3001234567",
        referral_goal=20,
        changed=["nombre", "referral_goal"],
        edited_by=admin,
    )
    event = UserEditedByAdmin(producer="tests", occurred_at=AT, data=data)

    profile, history = operations(event)

    assert profile.write is PROFILE and profile.row["nombre"] == "Ana Pérez"
    assert history.write is ENTRY and history.keys == (("user_history", event.event_id),)
    assert (history.row["changed"], history.row["actor_id"]) == ("nombre,referral_goal", admin)
    assert (history.row["nombre"], history.row["referral_goal"], history.row["telefono"]) == (
        "Ana Pérez",
        20,
        None,  # not changed: not repeated in the history
    )


def test_a_corrected_cedula_renames_the_row_and_its_new_lookup_is_pending() -> None:
    user, admin = uuid4(), uuid4()
    data = UserCedulaCorrectedData(user_id=user, cedula="1102812122", corrected_by=admin)
    event = UserCedulaCorrected(producer="tests", occurred_at=AT, data=data)

    renamed, pending, history = operations(event)

    assert renamed.write is CEDULA and renamed.row["cedula"] == "1102812122"
    assert ("users.cedula", "1102812122") in renamed.keys
    assert pending.write is REQUESTED and pending.keys == (("census_status", "1102812122"),)
    assert (pending.row["status"], pending.row["request_id"]) == ("PENDING", event.event_id)
    assert (history.row["kind"], history.row["cedula"]) == ("UserCedulaCorrected", "1102812122")


def test_a_hand_over_changes_the_leader_and_keeps_both_leaders_in_the_history() -> None:
    user, old, new, admin = uuid4(), uuid4(), uuid4(), uuid4()
    data = ReferralHandedOverData(
        user_id=user, from_leader_id=old, to_leader_id=new, handed_over_by=admin
    )
    event = ReferralHandedOver(producer="tests", occurred_at=AT, data=data)

    moved, history = operations(event)

    assert moved.write is REFERRER and moved.row["referrer_id"] == new
    assert moved.keys == (("users", user),)
    assert (history.row["previous_referrer_id"], history.row["referrer_id"]) == (old, new)


def test_events_the_read_model_only_audits_still_get_a_history_row() -> None:
    user, leader = uuid4(), uuid4()
    data = PasswordResetIssuedData(user_id=user, issued_by=leader, expires_at=AT)

    [history] = operations(PasswordResetIssued(producer="tests", occurred_at=AT, data=data))

    assert (history.write, history.row["user_id"], history.row["actor_id"]) == (ENTRY, user, leader)


USER = uuid4()
BY_OPERATOR: list[Event] = [
    UserEditedByAdmin(
        producer="tests",
        data=UserEditedByAdminData(
            user_id=USER,
            nombre="Ana Pérez",
            telefono="3001234567",
            referral_goal=20,
            changed=["nombre"],
            operator="ops-ana",
        ),
    ),
    UserCedulaCorrected(
        producer="tests",
        data=UserCedulaCorrectedData(user_id=USER, cedula="1102812122", operator="ops-ana"),
    ),
    UserRoleChanged(
        producer="tests",
        data=UserRoleChangedData(
            user_id=USER, role=Role.LEADER, previous_role=Role.USER, operator="ops-ana"
        ),
    ),
    ReferralHandedOver(
        producer="tests",
        data=ReferralHandedOverData(
            user_id=USER, from_leader_id=uuid4(), to_leader_id=uuid4(), operator="ops-ana"
        ),
    ),
    PasswordResetIssued(
        producer="tests",
        data=PasswordResetIssuedData(user_id=USER, expires_at=AT, operator="ops-ana"),
    ),
    TemporaryPasswordSet(
        producer="tests", data=TemporaryPasswordSetData(user_id=USER, operator="ops-ana")
    ),
]


@pytest.mark.parametrize("event", BY_OPERATOR, ids=lambda event: event.type)
def test_a_change_made_on_the_command_line_names_the_operator_in_the_history(
    event: Event,
) -> None:
    [history] = [op for op in operations(event) if op.write is ENTRY]

    assert (history.row["actor_id"], history.row["operator"]) == (None, "ops-ana")


def test_after_a_hand_over_only_the_new_leader_hears_of_the_person() -> None:
    user, old, new = uuid4(), uuid4(), uuid4()
    handed = Change(ReferralHandedOver.type_name, user, new, previous_referrer_id=old)

    assert event_names(Listener(old, Role.LEADER), handed) == ["referrals"]
    assert event_names(Listener(new, Role.LEADER), handed) == [f"change-{user}", "referrals"]
    assert event_names(Listener(uuid4(), Role.ADMIN), handed) == [f"change-{user}", "users"]
    later = Change("CedulaValidated", user, new)
    assert event_names(Listener(old, Role.LEADER), later) == []


def test_the_hub_tells_the_old_leaders_open_page_once_and_then_nothing_more() -> None:
    hub = Hub()
    user, old, new = uuid4(), uuid4(), uuid4()
    old_page = hub.subscribe(Listener(old, Role.LEADER))
    new_page = hub.subscribe(Listener(new, Role.LEADER))

    hub.publish(Change(ReferralHandedOver.type_name, user, new, previous_referrer_id=old))
    hub.publish(Change("CedulaValidated", user, new))

    assert [old_page.queue.get_nowait().event for _ in range(old_page.queue.qsize())] == [
        "referrals"
    ]
    assert [new_page.queue.get_nowait().event for _ in range(new_page.queue.qsize())] == [
        f"change-{user}",
        "referrals",
        f"change-{user}",
        "referral-changed",
    ]
