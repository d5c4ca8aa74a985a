"""One turn at a census host, granted as soon as it is booked (about an interval before it comes),
so the lookup prepares its page meanwhile. The lookup awaits `comes()` before its first request,
calls `started()` when that request is sent (the budget is released then, so the next turn is
measured from a real send), and `answered()` with what the host said. A turn never started is
given back unused."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog

from services.census_worker.domain.model import CensusSource, LookupResult
from services.census_worker.domain.turns import Lane, TurnLost
from services.census_worker.service_layer.turn_store import TurnObserver, TurnStore

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class TurnRules:
    """How a granted turn is kept: `until_start` sleeps until the booked start and returns the
    deadline of the lease (None: lost); `clock` reads that deadline; `on_released` wakes the
    scheduler; `asked_at` is when the lookup started waiting (for the wait metric)."""

    until_start: Callable[[], Awaitable[float | None]]
    clock: Callable[[], float]
    on_released: Callable[[str], None]
    asked_at: float


class Turn:
    def __init__(
        self,
        store: TurnStore,
        host: str,
        lane: Lane,
        source: CensusSource,
        rules: TurnRules,
        observer: TurnObserver,
    ) -> None:
        self.host, self.lane, self.source = host, lane, source
        self._store, self._rules, self._observer = store, rules, observer
        self._deadline: float | None = None  # set when the turn has come
        self._release: asyncio.Task[None] | None = None
        self.used = False
        self.cooldown_s: float | None = None
        self.circuit_opened = False

    async def comes(self) -> None:
        """Return when the turn has come (the host's start, confirmed); `TurnLost` if it never
        will. Idempotent: a second call returns at once."""
        if self._deadline is not None:
            return
        deadline = await self._rules.until_start()
        if deadline is None:
            raise TurnLost(self.host)
        self._deadline = deadline
        self._observer.waited(self.lane, self._rules.clock() - self._rules.asked_at)

    def started(self) -> None:
        """The lookup's first request to the host was sent (called from the browser's events)."""
        if self._release is not None:
            return
        if self._deadline is None:
            log.warning("census.turn_started_before_it_came", host=self.host)
        elif self._rules.clock() > self._deadline:
            log.warning("census.turn_started_after_lease", host=self.host)
        self.used = True
        self._observer.used(self.host)
        self._release = asyncio.create_task(self._give_back(used=True), name="census-turn-release")

    async def answered(self, result: LookupResult) -> None:
        await self.close()
        if not self.used:  # a lookup that sent nothing tells nothing about the host
            return
        effect = await self._store.answered(self.host, result)
        self.cooldown_s, self.circuit_opened = effect.cooldown_s, effect.circuit_opened
        if self.cooldown_s is not None:
            log.warning("census.host_cooldown", host=self.host, seconds=self.cooldown_s)
            self._observer.cooled_down(self.host, self.cooldown_s)
        if effect.circuit_opened:  # only the answer that opened it logs: once per opening
            log.warning("census.circuit_opened", host=self.host, reason=result.reason)
            self._observer.circuit_opened(self.host)

    async def close(self) -> None:
        """Release the turn if the lookup never started; wait for a release in progress."""
        if self._release is None:
            self._release = asyncio.create_task(self._give_back(used=False))
        with contextlib.suppress(Exception):
            await asyncio.shield(self._release)

    async def _give_back(self, used: bool) -> None:
        try:
            if not await self._store.release(self.host, self.lane, used):
                log.warning("census.turn_lost_before_release", host=self.host, used=used)
        except Exception:  # the lease ends the booking anyway; never fail the lookup for it
            log.exception("census.turn_release_failed", host=self.host)
        finally:
            self._rules.on_released(self.host)
