"""In-memory stand-ins for registration's ports (`service_layer/ports.py`), as cosmicpython does:
a unit of work over plain dicts whose writes last only if it commits, and a hasher that is fast.

`FakeDatabase` is what "the database" holds between units of work: tests arrange and inspect it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import TracebackType
from uuid import UUID, uuid4

from schemas.envelope import Event
from schemas.events import Role
from schemas.personal import ERASED_NAME, erased_cedula
from services.registration.domain.claims import Claim
from services.registration.domain.errors import CedulaAlreadyRegistered
from services.registration.domain.model import Target, User
from services.registration.domain.password_reset import ResetLink
from services.registration.domain.referral_codes import ALPHABET
from services.registration.domain.throttle import Limit

EARLIER = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass
class FakeDatabase:
    users: dict[UUID, User] = field(default_factory=dict)
    outbox: list[Event] = field(default_factory=list)  # committed events, in commit order
    hits: dict[tuple[str, str], list[datetime]] = field(default_factory=dict)
    open_units: int = 0  # units of work entered and not yet left (open transactions)
    outbox_headers: dict[UUID, dict[str, str]] = field(default_factory=dict)
    reset_links: dict[str, ResetLink] = field(default_factory=dict)  # by token hash
    erased: set[UUID] = field(default_factory=set)  # accounts whose key was deleted
    claims: dict[UUID, Claim] = field(default_factory=dict)

    def events(self, kind: type[Event] | None = None) -> list[Event]:
        return [event for event in self.outbox if kind is None or isinstance(event, kind)]

    def add_user(
        self,
        role: Role = Role.USER,
        referrer: User | None = None,
        password: str = "Girasol-2026",
    ) -> User:
        """An account as if registered earlier (its events long published)."""
        number = len(self.users) + 1
        user = User(
            id=uuid4(),
            cedula=str(1_020_304_000 + number),
            nombre=f"Persona {chr(64 + number)}",
            telefono="3001234567",
            password_hash=FakeHasher.PREFIX + password,
            referral_code=_referral_code(number),
            referral_goal=10,
            role=role,
            referrer_id=referrer.id if referrer else None,
            registered_at=EARLIER,
            data_policy_accepted_at=EARLIER,
        )
        self.users[user.id] = user
        return user


def _referral_code(number: int) -> str:
    """A valid code, different for each number."""
    base = len(ALPHABET)
    return "REF" + "".join(ALPHABET[number // base**place % base] for place in range(5))


class FakeUsers:
    def __init__(self, rows: dict[UUID, User]) -> None:
        self.rows = rows
        self.admins_locked = False

    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        user = self.rows.get(user_id)
        return replace(user) if user else None

    async def get_by_cedula(self, cedula: str) -> User | None:
        found = [user for user in self.rows.values() if user.cedula == cedula]
        return replace(found[0]) if found else None

    async def cedula_taken(self, cedula: str) -> bool:
        return any(user.cedula == cedula for user in self.rows.values())

    async def id_for_referral_code(self, code: str) -> UUID | None:
        return next((u.id for u in self.rows.values() if u.referral_code == code), None)

    async def targets(self, user_ids: Iterable[UUID]) -> dict[UUID, Target]:
        rows = (self.rows[i] for i in user_ids if i in self.rows)
        return {user.id: Target(user.id, user.cedula, user.referrer_id) for user in rows}

    async def add(self, user: User) -> None:
        if await self.cedula_taken(user.cedula):  # what the unique index does
            raise CedulaAlreadyRegistered(user.cedula)
        self.rows[user.id] = replace(user)

    async def save(self, user: User) -> None:
        if any(u.cedula == user.cedula and u.id != user.id for u in self.rows.values()):
            raise CedulaAlreadyRegistered(user.cedula)  # what the unique index does
        self.rows[user.id] = replace(user)

    async def referrals_of(self, leader_id: UUID, *, for_update: bool = False) -> list[User]:
        found = [u for u in self.rows.values() if u.referrer_id == leader_id]
        return [replace(u) for u in sorted(found, key=lambda u: (u.registered_at, str(u.id)))]

    async def set_referrer(self, user_ids: Iterable[UUID], leader_id: UUID) -> None:
        for user_id in user_ids:
            self.rows[user_id] = replace(self.rows[user_id], referrer_id=leader_id)

    async def lock_active_admins(self) -> int:
        self.admins_locked = True  # what the test checks: the count was taken under the lock
        return sum(user.is_active_admin for user in self.rows.values())


class FakeOutbox:
    def __init__(self) -> None:
        self.added: list[Event] = []
        self.headers: dict[UUID, dict[str, str]] = {}  # event id → headers added to its record

    async def add(self, *events: Event, headers: Mapping[str, str] | None = None) -> None:
        self.added.extend(events)
        self.headers.update({event.event_id: dict(headers) for event in events if headers})


class FakeThrottle:
    def __init__(self, hits: dict[tuple[str, str], list[datetime]]) -> None:
        self.hits = hits

    async def recent_hits(
        self, limit: Limit, subject: str, now: datetime, lock: bool = True
    ) -> list[datetime]:
        return [
            hit for hit in self.hits.get((limit.scope, subject), []) if hit > now - limit.window
        ]

    async def record(self, limit: Limit, subject: str, now: datetime, weight: int = 1) -> None:
        self.hits.setdefault((limit.scope, subject), []).extend([now] * weight)

    async def clear(self, limit: Limit, subject: str) -> None:
        self.hits.pop((limit.scope, subject), None)


class FakeResetLinks:
    def __init__(self, rows: dict[str, ResetLink]) -> None:
        self.rows = rows

    async def add(self, link: ResetLink) -> None:
        await self.revoke_unused(link.user_id, link.issued_at)
        self.rows[link.token_hash] = link

    async def get(self, token_hash: str, *, for_update: bool = False) -> ResetLink | None:
        return self.rows.get(token_hash)

    async def save(self, link: ResetLink) -> None:
        self.rows[link.token_hash] = link

    async def revoke_unused(self, user_id: UUID, now: datetime) -> None:
        for key, link in list(self.rows.items()):
            if link.user_id == user_id and link.used_at is None and link.revoked_at is None:
                self.rows[key] = replace(link, revoked_at=now)


class FakeErasure:
    def __init__(self, users: FakeUsers) -> None:
        self.users = users
        self.erased: set[UUID] = set()

    async def erase(self, user: User, now: datetime) -> None:
        self.users.rows[user.id] = replace(
            user,
            cedula=erased_cedula(user.id),
            nombre=ERASED_NAME,
            telefono="",
            disabled_at=user.disabled_at or now,
        )
        self.erased.add(user.id)


class FakeClaims:
    def __init__(self, rows: dict[UUID, Claim]) -> None:
        self.rows = rows

    async def add(self, claim: Claim) -> None:
        self.rows[claim.id] = claim

    async def get(self, claim_id: UUID, *, for_update: bool = False) -> Claim | None:
        return self.rows.get(claim_id)

    async def save(self, claim: Claim) -> None:
        self.rows[claim.id] = claim


class FakeUnitOfWork:
    """Works on copies of the database and writes them back on commit; leaving without a commit
    (after an error, say) changes nothing, as a rolled-back transaction."""

    users: FakeUsers
    outbox: FakeOutbox
    throttle: FakeThrottle
    reset_links: FakeResetLinks
    erasure: FakeErasure
    claims: FakeClaims

    def __init__(self, database: FakeDatabase | None = None) -> None:
        self.database = database or FakeDatabase()
        self.commits = 0

    async def __aenter__(self) -> FakeUnitOfWork:
        self.database.open_units += 1
        self.users = FakeUsers(copy.deepcopy(self.database.users))
        self.outbox = FakeOutbox()
        self.throttle = FakeThrottle(copy.deepcopy(self.database.hits))
        self.reset_links = FakeResetLinks(dict(self.database.reset_links))
        self.erasure = FakeErasure(self.users)
        self.claims = FakeClaims(dict(self.database.claims))
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.database.open_units -= 1

    async def commit(self) -> None:
        self.database.users = copy.deepcopy(self.users.rows)
        self.database.hits = copy.deepcopy(self.throttle.hits)
        self.database.reset_links = dict(self.reset_links.rows)
        self.database.erased |= self.erasure.erased
        self.database.claims = dict(self.claims.rows)
        self.database.outbox.extend(self.outbox.added)
        self.database.outbox_headers.update(self.outbox.headers)
        self.outbox.added, self.outbox.headers = [], {}
        self.commits += 1


class FakeHasher:
    """Reversible on purpose (tests read it); `old$` hashes are ones that need rehashing."""

    PREFIX = "fake$"

    async def hash(self, password: str) -> str:
        return self.PREFIX + password

    async def verify(self, password_hash: str | None, password: str) -> bool:
        return password_hash is not None and password_hash.split("$", 1)[-1] == password

    def needs_rehash(self, password_hash: str) -> bool:
        return not password_hash.startswith(self.PREFIX)
