"""Who hears of which change, and how a reconnecting browser catches up."""

from __future__ import annotations

from uuid import uuid4

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from schemas.events import Role
from services.web.live.audience import Change, Listener, event_names
from services.web.live.hub import Hub
from services.web.live.subscriptions import RESYNC, StreamLimits, TooManyStreams

LEADER, REFERRAL, STRANGER, ADMIN = uuid4(), uuid4(), uuid4(), uuid4()


def _census_of(user, referrer=None) -> Change:  # type: ignore[no-untyped-def]
    return Change("CedulaValidated", user, referrer)


def test_a_user_hears_of_their_own_census_only() -> None:
    me = Listener(REFERRAL, Role.USER)
    assert event_names(me, _census_of(REFERRAL, LEADER)) == [f"change-{REFERRAL}"]
    assert event_names(me, _census_of(STRANGER)) == []


def test_a_leader_hears_of_direct_referrals_and_of_nobody_else() -> None:
    leader = Listener(LEADER, Role.LEADER)
    assert event_names(leader, _census_of(REFERRAL, LEADER)) == [
        f"change-{REFERRAL}",
        "referral-changed",
    ]
    assert event_names(leader, _census_of(STRANGER, REFERRAL)) == []


def test_a_user_who_referred_someone_hears_of_the_new_referral_but_not_their_census() -> None:
    user = Listener(LEADER, Role.USER)
    assert event_names(user, Change("UserRegistered", REFERRAL, LEADER)) == ["referrals"]
    assert event_names(user, _census_of(REFERRAL, LEADER)) == []


def test_an_admin_hears_of_everything() -> None:
    admin = Listener(ADMIN, Role.ADMIN)
    assert event_names(admin, _census_of(STRANGER)) == [f"change-{STRANGER}"]
    assert event_names(admin, Change("UserRegistered", STRANGER, None)) == [
        f"change-{STRANGER}",
        "users",
    ]


def test_each_queue_receives_only_what_its_listener_may_see() -> None:
    hub = Hub()
    mine = hub.subscribe(Listener(REFERRAL, Role.USER))
    theirs = hub.subscribe(Listener(STRANGER, Role.USER))
    hub.publish(_census_of(REFERRAL, LEADER))
    assert mine.queue.get_nowait().event == f"change-{REFERRAL}"
    assert theirs.queue.empty()


def test_a_reconnect_replays_what_was_missed_for_that_listener() -> None:
    hub = Hub()
    leader = Listener(LEADER, Role.LEADER)
    seen = hub.last_id
    hub.publish(_census_of(REFERRAL, LEADER))
    hub.publish(_census_of(STRANGER))
    hub.publish(_census_of(LEADER))
    replay = hub.replay(leader, seen)
    assert replay is not None
    assert [m.event for m in replay] == [
        f"change-{REFERRAL}",
        "referral-changed",
        f"change-{LEADER}",
    ]
    assert hub.replay(leader, hub.last_id) == []


def test_a_reconnect_that_cannot_be_replayed_asks_for_a_resync() -> None:
    hub = Hub(history=2)
    listener = Listener(LEADER, Role.LEADER)
    first = hub.last_id
    for _ in range(3):
        hub.publish(_census_of(LEADER))
    assert hub.replay(listener, first) is None  # fell out of the history
    assert hub.replay(listener, "another-process-7") is None


@settings(derandomize=True, database=None)
@given(seq=st.text(max_size=30))
@example(seq="²")
@example(seq="٣")
@example(seq="5" * 5_000)
def test_a_last_event_id_of_this_process_with_any_number_replays_or_resyncs(seq: str) -> None:
    """Last-Event-ID comes from the browser: whatever follows the epoch, never an exception."""
    hub = Hub()
    hub.publish(_census_of(LEADER))
    replayed = hub.replay(Listener(LEADER, Role.LEADER), f"{hub.epoch}-{seq}")
    assert replayed is None or seq.isascii()


def test_a_browser_too_slow_to_keep_up_gets_one_resync() -> None:
    hub = Hub(queue_size=2)
    subscription = hub.subscribe(Listener(ADMIN, Role.ADMIN))
    for _ in range(5):
        hub.publish(_census_of(uuid4()))
    events = [subscription.queue.get_nowait().event for _ in range(subscription.queue.qsize())]
    assert RESYNC in events and len(events) <= 2


def test_a_role_change_applies_to_an_open_stream() -> None:
    hub = Hub()
    subscription = hub.subscribe(Listener(LEADER, Role.USER))
    hub.set_role(LEADER, Role.LEADER)
    hub.publish(_census_of(REFERRAL, LEADER))
    assert subscription.queue.get_nowait().event == f"change-{REFERRAL}"


def test_closing_ends_every_stream() -> None:
    hub = Hub()
    subscription = hub.subscribe(Listener(LEADER, Role.USER))
    hub.close()
    assert subscription.queue.get_nowait() is None


def test_a_change_reaches_its_user_their_leader_and_every_admin_once_each() -> None:
    hub = Hub()
    own = hub.subscribe(Listener(REFERRAL, Role.USER))
    leader = hub.subscribe(Listener(LEADER, Role.LEADER))
    admin = hub.subscribe(Listener(ADMIN, Role.ADMIN))
    stranger = hub.subscribe(Listener(STRANGER, Role.LEADER))
    hub.publish(_census_of(REFERRAL, LEADER))
    assert [own.queue.get_nowait().event] == [f"change-{REFERRAL}"] and own.queue.empty()
    assert leader.queue.qsize() == 2  # change-<id> and referral-changed
    assert admin.queue.get_nowait().event == f"change-{REFERRAL}" and admin.queue.empty()
    assert stranger.queue.empty()


def test_a_closed_stream_hears_nothing_more_and_a_promoted_admin_hears_everything() -> None:
    hub = Hub()
    gone = hub.subscribe(Listener(REFERRAL, Role.USER))
    hub.unsubscribe(gone)
    promoted = hub.subscribe(Listener(STRANGER, Role.USER))
    hub.set_role(STRANGER, Role.ADMIN)
    hub.publish(_census_of(REFERRAL, LEADER))
    assert gone.queue.empty()
    assert promoted.queue.get_nowait().event == f"change-{REFERRAL}"


def test_streams_are_bounded_per_session_per_user_and_per_process() -> None:
    hub = Hub(limits=StreamLimits(per_session=2, per_user=3, per_process=4))
    ana, luis, rosa = (Listener(uuid4(), Role.USER) for _ in range(3))
    for _ in range(2):
        hub.admit(ana, "laptop")
        hub.subscribe(ana, "laptop")
    with pytest.raises(TooManyStreams, match="Esta sesión ya tiene 2 pestañas"):
        hub.admit(ana, "laptop")
    hub.subscribe(ana, "phone")
    with pytest.raises(TooManyStreams, match="Su cuenta ya tiene 3 pestañas"):
        hub.admit(ana, "tablet")
    hub.subscribe(luis, "luis")
    with pytest.raises(TooManyStreams, match="máximo de actualizaciones en vivo"):
        hub.admit(rosa, "rosa")


def test_ending_a_session_ends_its_streams_and_no_others() -> None:
    hub = Hub()
    ana = Listener(uuid4(), Role.USER)
    ended, kept = hub.subscribe(ana, "laptop"), hub.subscribe(ana, "phone")
    hub.end_sessions(["laptop", "unknown"])
    assert ended.queue.get_nowait() is None
    assert kept.queue.empty()
    hub.unsubscribe(ended)
    hub.admit(ana, "laptop")  # its place is free again
