"""What the use cases need from outside, as protocols: a unit of work with its stores, and the
password hasher. `adapters/` implements them over PostgreSQL and argon2; unit tests over memory."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self
from uuid import UUID

from schemas.envelope import Event
from services.registration.domain.claims import Claim
from services.registration.domain.model import Target, User
from services.registration.domain.password_reset import ResetLink
from services.registration.domain.throttle import Counted


class Users(Protocol):
    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None: ...

    async def get_by_cedula(self, cedula: str) -> User | None: ...

    async def cedula_taken(self, cedula: str) -> bool: ...

    async def id_for_referral_code(self, code: str) -> UUID | None: ...

    async def targets(self, user_ids: Iterable[UUID]) -> dict[UUID, Target]: ...

    async def add(self, user: User) -> None:
        """Raises CedulaAlreadyRegistered when the cédula is taken meanwhile."""

    async def save(self, user: User) -> None:
        """Raises CedulaAlreadyRegistered when a corrected cédula is taken meanwhile."""

    async def referrals_of(self, leader_id: UUID, *, for_update: bool = False) -> list[User]:
        """The leader's direct referrals, oldest first."""

    async def set_referrer(self, user_ids: Iterable[UUID], leader_id: UUID) -> None: ...

    async def lock_active_admins(self) -> int:
        """How many active ADMINs there are, counted after taking a lock that every change
        removing one takes too, until the transaction ends: two such changes cannot both count
        the same admins."""


class Outbox(Protocol):
    async def add(self, *events: Event, headers: Mapping[str, str] | None = None) -> None:
        """Events to publish once, and only if, the unit of work commits (with `headers` added
        to each record's own)."""


class ThrottleHits(Protocol):
    async def recent_hits(
        self, limit: Counted, subject: str, now: datetime, lock: bool = True
    ) -> list[datetime]: ...

    async def record(
        self, limit: Counted, subject: str, now: datetime, weight: int = 1
    ) -> None: ...

    async def clear(self, limit: Counted, subject: str) -> None: ...


class ResetLinks(Protocol):
    async def add(self, link: ResetLink) -> None:
        """Store `link` and revoke (as of its issue time) every unused link of the same user."""

    async def get(self, token_hash: str, *, for_update: bool = False) -> ResetLink | None: ...

    async def save(self, link: ResetLink) -> None:
        """Write back `used_at` and `revoked_at`."""

    async def revoke_unused(self, user_id: UUID, now: datetime) -> None: ...


class Erasure(Protocol):
    async def erase(self, user: User, now: datetime) -> None:
        """Delete the person's key and every personal field and row of theirs; the account row
        stays, disabled, for its referrals and its referral code."""


class Claims(Protocol):
    async def add(self, claim: Claim) -> None: ...

    async def get(self, claim_id: UUID, *, for_update: bool = False) -> Claim | None: ...

    async def save(self, claim: Claim) -> None:
        """Write back the decision: status, when, by whom, why."""


class UnitOfWork(Protocol):
    """One transaction: what is written through its stores lasts only if `commit` is called."""

    @property
    def users(self) -> Users: ...

    @property
    def outbox(self) -> Outbox: ...

    @property
    def throttle(self) -> ThrottleHits: ...

    @property
    def reset_links(self) -> ResetLinks: ...

    @property
    def erasure(self) -> Erasure: ...

    @property
    def claims(self) -> Claims: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    async def commit(self) -> None: ...


class Hasher(Protocol):
    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """False for an absent hash too, after the same work as for a real one."""

    def needs_rehash(self, password_hash: str) -> bool: ...
