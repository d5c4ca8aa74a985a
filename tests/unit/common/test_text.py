"""Digit checks accept ASCII 0-9 only and read numbers only up to a length bound."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from services.common.text import ascii_number, is_ascii_digits


@pytest.mark.parametrize("text", ["0", "007", "1234567890"])
def test_ascii_digits_are_digits(text: str) -> None:
    assert is_ascii_digits(text)
    assert ascii_number(text, 10) == int(text)


NOT_ASCII_DIGITS = ["", "²", "1²", "٣", "१२", "１２", " 1", "1_000", "-1", "+1", "1.0"]


@pytest.mark.parametrize("text", NOT_ASCII_DIGITS)
def test_other_digits_signs_and_separators_are_not(text: str) -> None:
    assert not is_ascii_digits(text)
    assert ascii_number(text, 10) is None


def test_a_number_longer_than_the_bound_is_not_read() -> None:
    assert ascii_number("5" * 5_000, 9) is None
    assert ascii_number("123456789", 9) == 123_456_789
    assert ascii_number("1234567890", 9) is None


@settings(derandomize=True, database=None)
@given(st.text(), st.integers(min_value=0, max_value=10_000))
@example("²", 5)
@example("5" * 5_000, 5_000)
def test_ascii_number_never_raises_and_agrees_with_int(text: str, bound: int) -> None:
    value = ascii_number(text, bound)
    if value is not None:
        assert set(text) <= set("0123456789")
        assert value == int(text)
