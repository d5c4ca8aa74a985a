"""Sliding-window limits and referral codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.registration.domain.referral_codes import (
    ALPHABET,
    new_referral_code,
    parse_referral_code,
)
from services.registration.domain.throttle import Limit, seconds_until_allowed

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
