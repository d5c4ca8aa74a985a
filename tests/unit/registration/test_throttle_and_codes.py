"""Sliding-window limits, growing delays and referral codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.registration.domain.referral_codes import (
    ALPHABET,
    new_referral_code,
    parse_referral_code,
)
from services.registration.domain.throttle import GrowingDelay, Limit, seconds_until_allowed

NOW = datetime(2026, 3, 8, 12, 0, tzinfo=UTC)
LOGIN = Limit("login_failure", max_hits=5, window_s=900)


def minutes_ago(*minutes: float) -> list[datetime]:
    return [NOW - timedelta(minutes=m) for m in minutes]


def test_four_recent_failures_still_allow_a_try() -> None:
    assert seconds_until_allowed(LOGIN, minutes_ago(1, 2, 3, 4), NOW) is None


def test_five_failures_in_fifteen_minutes_lock_until_the_oldest_expires() -> None:
    assert seconds_until_allowed(LOGIN, minutes_ago(1, 2, 3, 4, 10), NOW) == 5 * 60


def test_failures_older_than_the_window_do_not_count() -> None:
    assert seconds_until_allowed(LOGIN, minutes_ago(1, 2, 3, 4, 16), NOW) is None


def test_wait_is_at_least_one_second() -> None:
    almost_expired = [NOW - timedelta(seconds=899.9), *minutes_ago(1, 1, 1, 1)]
    assert seconds_until_allowed(LOGIN, almost_expired, NOW) == 1


CEDULA = GrowingDelay("login_failure", free=5, base_s=30, max_s=900, window_s=900)


def seconds_ago(*seconds: float) -> list[datetime]:
    return [NOW - timedelta(seconds=s) for s in seconds]


def test_failures_below_the_free_ones_never_wait() -> None:
    assert CEDULA.seconds_to_wait(seconds_ago(1, 2, 3, 4), NOW) is None


def test_each_failure_past_the_free_ones_doubles_the_wait_from_the_last_one() -> None:
    assert CEDULA.seconds_to_wait(seconds_ago(10, 20, 30, 40, 50), NOW) == 20  # 30 s after 10 s
    assert CEDULA.seconds_to_wait(seconds_ago(10, 20, 30, 40, 50, 60), NOW) == 50  # 60 s
    assert CEDULA.seconds_to_wait(seconds_ago(10, 20, 30, 40, 50, 60, 70), NOW) == 110  # 120 s


def test_the_wait_never_passes_its_maximum_so_no_one_locks_an_account_for_good() -> None:
    many = seconds_ago(*range(1, 60))  # a stranger failing on purpose, once a second
    assert CEDULA.seconds_to_wait(many, NOW) == 900 - 1
    assert CEDULA.seconds_to_wait(many, NOW + timedelta(seconds=900)) is None


def test_failures_older_than_the_window_no_longer_count() -> None:
    assert CEDULA.seconds_to_wait(seconds_ago(1, 2, 3, 4, 901), NOW) is None


def test_referral_codes_have_eight_unambiguous_characters() -> None:
    codes = {new_referral_code() for _ in range(500)}
    assert len(codes) == 500
    assert all(len(code) == 8 and set(code) <= set(ALPHABET) for code in codes)
    assert not set("01IOL") & set(ALPHABET)


def test_referral_code_input_is_canonicalised_or_ignored() -> None:
    assert parse_referral_code(" abcd2345 ") == "ABCD2345"
    assert parse_referral_code(None) is None
    assert parse_referral_code("") is None
    assert parse_referral_code("ABC") is None
    assert parse_referral_code("ABCD234O") is None  # letter O is not in the alphabet
