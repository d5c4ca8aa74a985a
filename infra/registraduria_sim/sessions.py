"""PHP-like sessions of the simulated site: the cookies it sets and the nonce of the latest GET."""

from __future__ import annotations

import secrets
import string
import time
from dataclasses import dataclass

from .store import Clock, ExpiringStore

_PHP_SID_ALPHABET = string.digits + "abcdefghijklmnopqrstuv"  # PHP's 5 bits per character


@dataclass
class Session:
    cookiesession1: str  # the F5 BIG-IP cookie; set once, never checked
    nonce: str | None = None  # the `token` field of the latest page; None once spent


@dataclass(frozen=True)
class IssuedPage:
    """What one GET of the page hands out: the session ids and a fresh nonce."""

    session_id: str
    cookiesession1: str
    nonce: str
    new_session: bool


class Sessions:
    def __init__(self, ttl_s: float, max_entries: int, clock: Clock = time.monotonic) -> None:
        self._store: ExpiringStore[Session] = ExpiringStore(ttl_s, max_entries, clock)

    def issue_nonce(self, session_id: str | None) -> IssuedPage:
        """Give the session (a new one if unknown or expired) a fresh 32-hex nonce."""
        session = self._store.get(session_id) if session_id else None
        if session_id and session is not None:
            sid, new_session = session_id, False
        else:
            sid, new_session = "".join(secrets.choice(_PHP_SID_ALPHABET) for _ in range(26)), True
            session = Session(cookiesession1=secrets.token_hex(16).upper())
        session.nonce = secrets.token_hex(16)
        self._store.put(sid, session)  # sliding expiry, like PHP's gc lifetime
        return IssuedPage(sid, session.cookiesession1, session.nonce, new_session)

    def nonce_matches(self, session_id: str | None, nonce: str) -> bool:
        session = self._store.get(session_id) if session_id else None
        return session is not None and session.nonce is not None and session.nonce == nonce

    def spend_nonce(self, session_id: str | None) -> None:
        """A nonce serves one consulta; the next POST needs a new GET."""
        session = self._store.get(session_id) if session_id else None
        if session is not None:
            session.nonce = None
