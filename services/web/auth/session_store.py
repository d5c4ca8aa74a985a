"""Server-side session data in PostgreSQL, so every web process (and a restart) sees the same
sessions. Implements Litestar's `Store`; the engine is bound at start-up, not at construction.

A session is created once (`start`, a new id) and afterwards only updated (`keep`): a request that
was in flight when its session ended (logout, a password change elsewhere) cannot bring it back.
A disabled account's sessions end in the projector's transaction that marks it disabled (the
access guard refuses any session of it the read model shows disabled). Ending sessions tells every
web process (NOTIFY `web_sessions_ended`, with digests of the ids, never
the ids) so the live streams opened with them close at once.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from uuid import UUID

from litestar.stores.base import Store
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.web.adapters.tables import web_sessions

PURGE_EVERY_S = 600.0
SESSIONS_ENDED_CHANNEL = "web_sessions_ended"
NOTIFY_MAX_DIGESTS = 200  # a NOTIFY payload holds under 8,000 bytes


def session_digest(session_id: str) -> str:
    """What other processes learn of a session id: enough to find its streams, useless to log in."""
    return hashlib.sha256(session_id.encode()).hexdigest()[:32]


def _expiry(expires_in: int | timedelta | None) -> datetime | None:
    if expires_in is None:
        return None
    seconds = expires_in.total_seconds() if isinstance(expires_in, timedelta) else expires_in
    return datetime.now(UTC) + timedelta(seconds=seconds)


class PostgresSessionStore(Store):
    def __init__(self) -> None:
        self._engine: AsyncEngine | None = None
        self._last_purge = 0.0

    def bind(self, engine: AsyncEngine) -> None:
        self._engine = engine

    @property
    def engine(self) -> AsyncEngine:
        if self._engine is None:
            raise RuntimeError("session store used before the app started")
        return self._engine

    async def set(
        self, key: str, value: str | bytes, expires_in: int | timedelta | None = None
    ) -> None:
        data = value.encode() if isinstance(value, str) else value
        row = {"session_id": key, "data": data, "expires_at": _expiry(expires_in)}
        statement = insert(web_sessions).values(**row)
        statement = statement.on_conflict_do_update(
            index_elements=[web_sessions.c.session_id],
            set_={"data": data, "expires_at": row["expires_at"]},
        )
        async with self.engine.begin() as conn:
            await conn.execute(statement)
            await self._purge_now_and_then(conn)

    async def start(
        self, key: str, data: bytes, expires_in: int | None, user_id: UUID | None
    ) -> None:
        """A new session (its id was just generated)."""
        row = {"session_id": key, "data": data, "expires_at": _expiry(expires_in)}
        async with self.engine.begin() as conn:
            await conn.execute(insert(web_sessions).values(**row, user_id=user_id))
            await self._purge_now_and_then(conn)

    async def keep(
        self, key: str, data: bytes, expires_in: int | None, user_id: UUID | None
    ) -> bool:
        """Save an existing session; False when it has ended meanwhile (it stays ended)."""
        values = {"data": data, "expires_at": _expiry(expires_in), "user_id": user_id}
        alive = web_sessions.c.expires_at.is_(None) | (web_sessions.c.expires_at > func.now())
        statement = update(web_sessions).where(web_sessions.c.session_id == key, alive)
        async with self.engine.begin() as conn:
            result = await conn.execute(statement.values(**values))
        return bool(result.rowcount)

    async def end_sessions_of(self, user_id: UUID) -> int:
        """End every session of `user_id`, in every process; how many there were."""
        async with self.engine.begin() as conn:
            return await end_sessions_of(conn, user_id)

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        query = select(web_sessions.c.data, web_sessions.c.expires_at).where(
            web_sessions.c.session_id == key
        )
        async with self.engine.begin() as conn:
            row = (await conn.execute(query)).first()
            if row is None or (row.expires_at and row.expires_at <= datetime.now(UTC)):
                return None
            if renew_for is not None:
                await conn.execute(
                    update(web_sessions)
                    .where(web_sessions.c.session_id == key)
                    .values(expires_at=_expiry(renew_for))
                )
        data: bytes = row.data  # the column is BYTEA
        return data

    async def delete(self, key: str) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(delete(web_sessions).where(web_sessions.c.session_id == key))
            await _announce(conn, [key])

    async def delete_all(self) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(delete(web_sessions))

    async def exists(self, key: str) -> bool:
        return await self.get(key) is not None

    async def expires_in(self, key: str) -> int | None:
        query = select(web_sessions.c.expires_at).where(web_sessions.c.session_id == key)
        async with self.engine.connect() as conn:
            expires_at = await conn.scalar(query)
        if expires_at is None:
            return None
        return max(int((expires_at - datetime.now(UTC)).total_seconds()), 0)

    async def _purge_now_and_then(self, conn: AsyncConnection) -> None:
        """Expired sessions are deleted in passing, at most every PURGE_EVERY_S per process."""
        if time.monotonic() - self._last_purge < PURGE_EVERY_S:
            return
        self._last_purge = time.monotonic()
        expired = web_sessions.c.expires_at < datetime.now(UTC)
        await conn.execute(delete(web_sessions).where(expired))


async def end_sessions_of(conn: AsyncConnection, user_id: UUID) -> int:
    """End every session of `user_id` in `conn`'s transaction (the projector's, for a disabled
    account), announced to every web process when it commits; how many there were."""
    statement = (
        delete(web_sessions)
        .where(web_sessions.c.user_id == user_id)
        .returning(web_sessions.c.session_id)
    )
    ended = list((await conn.execute(statement)).scalars())
    await _announce(conn, ended)
    return len(ended)


async def _announce(conn: AsyncConnection, session_ids: Iterable[str]) -> None:
    """Tell every web process (on commit) which sessions ended, so their streams close."""
    digests = [session_digest(session_id) for session_id in session_ids]
    for start in range(0, len(digests), NOTIFY_MAX_DIGESTS):
        payload = ",".join(digests[start : start + NOTIFY_MAX_DIGESTS])
        await conn.execute(select(func.pg_notify(SESSIONS_ENDED_CHANNEL, payload)))
