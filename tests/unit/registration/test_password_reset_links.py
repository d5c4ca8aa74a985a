"""The rules of a reset link, as plain data: random, stored as a digest, 24 hours, used once."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from services.registration.domain.password_reset import (
    LINK_LIFETIME,
    hash_token,
    issue_link,
    plausible_token,
)

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def test_a_link_is_kept_as_the_sha256_of_its_token_never_the_token() -> None:
    token, link = issue_link(uuid4(), uuid4(), NOW)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest() == hash_token(token)
    assert token not in repr(link)


def test_tokens_are_long_random_and_url_safe() -> None:
    tokens = {issue_link(uuid4(), uuid4(), NOW)[0] for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(token) >= 43 and plausible_token(token) for token in tokens)


def test_a_link_works_for_24_hours_and_not_a_moment_more() -> None:
    _, link = issue_link(uuid4(), uuid4(), NOW)
    assert link.expires_at - link.issued_at == LINK_LIFETIME == timedelta(hours=24)
    assert link.usable(NOW + LINK_LIFETIME - timedelta(seconds=1))
    assert not link.usable(NOW + LINK_LIFETIME)


def test_a_used_link_cannot_be_used_again() -> None:
    _, link = issue_link(uuid4(), uuid4(), NOW)
    assert not link.used(NOW + timedelta(minutes=5)).usable(NOW + timedelta(minutes=6))


def test_a_revoked_link_cannot_be_used() -> None:
    from dataclasses import replace

    _, link = issue_link(uuid4(), uuid4(), NOW)
    assert not replace(link, revoked_at=NOW).usable(NOW + timedelta(minutes=1))


def test_implausible_tokens_are_refused_before_any_lookup() -> None:
    assert not plausible_token("")
    assert not plausible_token("a" * 101)
    assert not plausible_token("abc/../def")
    assert not plausible_token("abc\x00")
