"""Referral codes: 8 characters people can read aloud and type (no 0/O, 1/I/L)."""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8


def new_referral_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def parse_referral_code(raw: str | None) -> str | None:
    """The code in canonical form, or None when absent or impossible (then: no referrer)."""
    if not raw:
        return None
    code = raw.strip().upper()
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code
