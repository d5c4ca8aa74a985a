"""LISTEN read_model_changes (and web_sessions_ended) on one asyncpg connection and hand every
notification to the hub.

The projector may run in any web process (or another one altogether): NOTIFY reaches them all. A
lost connection is re-opened with backoff, and browsers are then told to fetch again, since
notifications sent meanwhile are gone.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable

import asyncpg
import structlog

from schemas.events import Role
from services.web.auth.session_store import SESSIONS_ENDED_CHANNEL
from services.web.live.audience import ROLE_CHANGED
from services.web.live.changes import ChangeReader
from services.web.live.hub import Hub
from services.web.projection.projector import CHANGES_CHANNEL

log = structlog.get_logger(__name__)
DISPATCH_BATCH = 500


class ChangeListener:
    def __init__(self, dsn: str, reader: ChangeReader, hub: Hub) -> None:
        self._dsn = dsn
        self._reader = reader
        self._hub = hub
        self._inbox: asyncio.Queue[str] = asyncio.Queue()
        self.ready = asyncio.Event()  # set while LISTEN is active

    async def run(self, stop: asyncio.Event) -> None:
        dispatcher = asyncio.create_task(self._dispatch())
        try:
            await self._listen_until(stop)
        finally:
            dispatcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await dispatcher

    async def _listen_until(self, stop: asyncio.Event) -> None:
        delay, connected_before = 0.5, False
        while not stop.is_set():
            try:
                conn = await asyncpg.connect(self._dsn)
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("live.listen_failed", error=str(exc), retry_in_s=delay)
                await _wait(stop, delay)
                delay = min(delay * 2, 10.0)
                continue
            if connected_before:  # notifications sent while disconnected are gone
                self._hub.resync_all()
            connected_before, delay = True, 0.5
            await self._listen_on(conn, stop)

    async def _listen_on(self, conn: asyncpg.Connection, stop: asyncio.Event) -> None:
        """Until `stop` or until the connection is lost."""
        lost = asyncio.Event()
        try:
            conn.add_termination_listener(lambda _conn: lost.set())
            await conn.add_listener(CHANGES_CHANNEL, self._on_notify)
            await conn.add_listener(SESSIONS_ENDED_CHANNEL, self._on_sessions_ended)
            self.ready.set()
            await _first(stop.wait(), lost.wait())
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("live.listen_failed", error=str(exc))
        finally:
            self.ready.clear()
            with contextlib.suppress(Exception):
                await conn.close(timeout=2)
        if lost.is_set():
            log.warning("live.listen_connection_lost")

    def _on_sessions_ended(self, _conn: object, _pid: int, _channel: str, payload: object) -> None:
        self._hub.end_sessions(str(payload).split(","))

    def _on_notify(self, _conn: object, _pid: int, _channel: str, payload: object) -> None:
        self._inbox.put_nowait(str(payload))  # a NOTIFY payload is text

    async def _dispatch(self) -> None:
        while True:
            # Everything waiting goes at once: a burst of changes costs one referrer query.
            payloads = [await self._inbox.get()]
            while not self._inbox.empty() and len(payloads) < DISPATCH_BATCH:
                payloads.append(self._inbox.get_nowait())
            try:
                reads = await self._reader.read_all(payloads)
            except Exception:  # a failed lookup must not end live updates for everyone
                log.exception("live.dispatch_failed", payloads=len(payloads))
                # Those who should have heard of these changes fetch their page again instead.
                self._hub.resync(self._reader.concerned(payloads))
                continue
            for read in filter(None, reads):
                change, role = read
                if role is not None and change.type == ROLE_CHANGED:
                    self._hub.set_role(change.user_id, Role(role))
                self._hub.publish(change)


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def _first(*awaitables: Awaitable[object]) -> None:
    tasks = [asyncio.ensure_future(a) for a in awaitables]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
