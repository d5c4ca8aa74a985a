"""The publishing lease: a PostgreSQL advisory lock plus the NOTIFY listener, on one connection.

Only the holder publishes, so two relays can never interleave one key's events. The lock is
session-level: if the relay's process or connection dies, PostgreSQL releases it and a standby
relay takes over.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import asyncpg
import structlog

from services.common.db import asyncpg_dsn
from services.registration.adapters.outbox_store import NOTIFY_CHANNEL
from services.registration.outbox.timing import wait_any

log = structlog.get_logger(__name__)
RELAY_LOCK_ID = 0x5245_4C41_5900  # arbitrary, fixed: "RELAY"


def _nothing() -> None:
    pass


class RelayLease:
    def __init__(self, database_url: str, wakeup: asyncio.Event) -> None:
        self._dsn = asyncpg_dsn(database_url)
        self._wakeup = wakeup
        self._conn: asyncpg.Connection | None = None
        self._lost = False

    async def take(
        self, stop: asyncio.Event, standby_poll_s: float, on_standby: Callable[[], None] = _nothing
    ) -> bool:
        """Wait until this relay holds the lock (True), or until `stop` is set (False);
        `on_standby` is called once the database answered that another relay holds it."""
        self._conn = await asyncpg.connect(self._dsn)
        self._conn.add_termination_listener(self._on_terminated)
        waited = False
        while not stop.is_set():
            if await self._conn.fetchval("SELECT pg_try_advisory_lock($1)", RELAY_LOCK_ID):
                await self._conn.add_listener(NOTIFY_CHANNEL, self._on_notify)
                log.info("outbox.relay_leading", after_standby=waited)
                return True
            if not waited:
                log.info("outbox.relay_standby", reason="another relay holds the publishing lock")
                on_standby()
                waited = True
            await wait_any(stop, timeout_s=standby_poll_s)
        return False

    @property
    def server_pid(self) -> int | None:
        """The backend holding the lock, for the fence each batch checks."""
        return self._conn.get_server_pid() if self._conn is not None else None

    @property
    def held(self) -> bool:
        return self._conn is not None and not self._lost and not self._conn.is_closed()

    async def release(self) -> None:
        if self._conn is not None and not self._conn.is_closed():
            await self._conn.close(timeout=5)  # closing the session releases the lock
        self._conn = None

    def _on_notify(self, *_: object) -> None:
        self._wakeup.set()

    def _on_terminated(self, *_: object) -> None:
        self._lost = True
        self._wakeup.set()
