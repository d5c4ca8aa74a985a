"""One-time password-reset links: a random token shown once, kept only as its SHA-256 digest,
valid 24 hours, used at most once, and void as soon as a newer link is made for the same person."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from uuid import UUID

LINK_LIFETIME = timedelta(hours=24)
TOKEN_BYTES = 32  # 256 random bits: a plain digest is enough, nobody can guess their way in
MAX_TOKEN_CHARS = 100  # longer input is no token of ours: refused before hashing


@dataclass(frozen=True)
class ResetLink:
    """What the database keeps of a link: never the token itself."""

    token_hash: str
    user_id: UUID
    issued_by: UUID | None  # None: an operator's command line
    issued_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None  # a newer link for the same person was made

    def usable(self, now: datetime) -> bool:
        return self.used_at is None and self.revoked_at is None and now < self.expires_at

    def used(self, now: datetime) -> ResetLink:
        return replace(self, used_at=now)


def hash_token(token: str) -> str:
    """The digest under which a token is stored and looked up (hex SHA-256)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def plausible_token(token: str) -> bool:
    """Cheap shape check before any lookup: what token_urlsafe makes, of a sane length."""
    return 0 < len(token) <= MAX_TOKEN_CHARS and all(c.isalnum() or c in "-_" for c in token)


def issue_link(user_id: UUID, issued_by: UUID | None, now: datetime) -> tuple[str, ResetLink]:
    """A new token (to show once) and the link record to store."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = ResetLink(
        token_hash=hash_token(token),
        user_id=user_id,
        issued_by=issued_by,
        issued_at=now,
        expires_at=now + LINK_LIFETIME,
    )
    return token, link
