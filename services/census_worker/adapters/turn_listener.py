"""LISTEN census_host_turns on one asyncpg connection per worker process: a released turn wakes the
schedulers waiting for that host at once. A lost connection is opened again with backoff; the
scheduler's own timers (lease end, next turn) cover whatever was missed meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

import asyncpg
import structlog

from services.census_worker.adapters.host_budget import CHANNEL
from services.common.db import asyncpg_dsn

log = structlog.get_logger(__name__)


class TurnListener:
    """Calls `wake(host)` for every released turn; `wake(None)` after a reconnect (missed any)."""

    def __init__(self, database_url: str, wake: Callable[[str | None], None]) -> None:
        self._dsn = asyncpg_dsn(database_url)
        self._wake = wake
        self._task: asyncio.Task[None] | None = None
        self.ready = asyncio.Event()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="census-turn-listener")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        delay = 0.5
        while True:
            try:
                conn = await asyncpg.connect(self._dsn)
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("census.turn_listen_failed", error=str(exc), retry_in_s=delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
                continue
            delay = 0.5
            await self._listen_on(conn)

    async def _listen_on(self, conn: asyncpg.Connection) -> None:
        lost = asyncio.Event()
        try:
            conn.add_termination_listener(lambda _conn: lost.set())
            await conn.add_listener(CHANNEL, self._on_notify)
            self.ready.set()
            self._wake(None)
            await lost.wait()
            log.warning("census.turn_listen_lost")
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("census.turn_listen_failed", error=str(exc))
        finally:
            self.ready.clear()
            with contextlib.suppress(Exception):
                await asyncio.shield(conn.close(timeout=2))

    def _on_notify(self, _conn: object, _pid: int, _channel: str, payload: object) -> None:
        self._wake(str(payload))
