"""Digits as people and headers may send them: only ASCII 0-9 count, and a number is read only
when it is short enough (`str.isdigit` accepts '²' and '٣', and `int()` refuses '²' and any
string of more than 4,300 digits)."""

from __future__ import annotations

MAX_DIGITS = 4_000  # below the 4,300 that int() refuses by default, whatever a caller asks


def is_ascii_digits(text: str) -> bool:
    """True when `text` is one or more of the characters 0-9 and nothing else."""
    return text.isascii() and text.isdigit()


def ascii_number(text: str, max_digits: int) -> int | None:
    """The number `text` writes with at most `max_digits` ASCII digits (leading zeros count);
    None for anything else, so a caller can refuse it without catching ValueError."""
    if len(text) > min(max_digits, MAX_DIGITS) or not is_ascii_digits(text):
        return None
    return int(text)
