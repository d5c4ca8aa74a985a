"""The read model of the SSE fan-out benchmark: a leader and N referrals projected by the project's
own `Projector`, one session each in the sessions table (as a login would leave it), and the
census changes the benchmark times, projected the same way."""

from __future__ import annotations

import asyncio
import itertools
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID, uuid4

from sqlalchemy import event

from schemas.events import Role, UserRegistered, UserRegisteredData
from services.common.db import make_engine
from services.common.migrations import migrate
from services.web.auth.session_store import PostgresSessionStore
from services.web.bootstrap import MIGRATIONS
from services.web.projection.projector import Projector
from tests.support.events import record, validated
from tests.support.web_sessions import session_data

SESSION_COOKIE = "censo_sesion"
SESSION_S = 86_400
_SESSIONS_AT_ONCE = 20


@dataclass
class Population:
    database_url: str
    leader: UserRegistered
    referrals: list[UserRegistered]
    cookies: dict[UUID, str]  # user id → Cookie header of that user's session
    offsets: itertools.count[int] = field(default_factory=itertools.count)

    def reserve_offsets(self, n: int) -> int:
        """The first of `n` record offsets not used before (a projector elsewhere uses them):
        a record at or below the stored position would be skipped as a redelivery."""
        first = next(self.offsets)
        self.offsets = itertools.count(first + n)
        return first


def _registered(n: int, role: Role, referrer: UUID | None) -> UserRegistered:
    return UserRegistered(
        producer="bench",
        data=UserRegisteredData(
            user_id=uuid4(),
            cedula=str(1_000_000_000 + n),
            nombre=f"Referido {n}",
            telefono="3001234567",
            referrer_id=referrer,
            referral_code=f"R{n:07d}",
            referral_goal=10_000,
            role=role,
            registered_at=datetime.now(UTC),
        ),
    )


async def populate(database_url: str, referrals: int) -> Population:
    leader = _registered(0, Role.LEADER, None)
    users = [_registered(n, Role.USER, leader.data.user_id) for n in range(1, referrals + 1)]
    population = Population(database_url, leader, users, {})
    engine = make_engine(database_url)
    try:
        await migrate(engine, MIGRATIONS)
        projector = Projector(engine)
        for user in (leader, *users):
            await projector.project(record(user, offset=next(population.offsets)))
        store = PostgresSessionStore()
        store.bind(engine)
        gate = asyncio.Semaphore(_SESSIONS_AT_ONCE)

        async def log_in(user: UserRegistered) -> None:
            session_id = secrets.token_hex(16)
            async with gate:
                await store.set(session_id, session_data(user), SESSION_S)
            population.cookies[user.data.user_id] = f"{SESSION_COOKIE}={session_id}"

        await asyncio.gather(*(log_in(u) for u in users))
    finally:
        await engine.dispose()
    return population


async def project_changes(
    database_url: str, users: list[UserRegistered], first_offset: int
) -> list[tuple[UUID, float]]:
    """A CedulaValidated for each of `users`, projected one after another at record offsets from
    `first_offset` on; (user id, time.time() when its COMMIT was sent). Taken before the commit
    rather than after it, so a latency counts the commit's round trip instead of leaving out
    however long the projector was descheduled after it (a browser then read some events
    "before" their commit)."""
    engine = make_engine(database_url)
    committing: list[float] = []
    event.listen(engine.sync_engine, "commit", lambda _conn: committing.append(time.time()))
    commits = []
    try:
        projector = Projector(engine)
        for offset, user in enumerate(users, start=first_offset):
            await projector.project(record(validated(user), offset=offset))
            commits.append((user.data.user_id, committing[-1]))
    finally:
        await engine.dispose()
    return commits
