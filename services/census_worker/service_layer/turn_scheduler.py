"""Waiting for a turn at a census host inside one worker process.

`async with scheduler.turn(lane) as turn:` waits until this process has booked a host's turn and
that turn has come, then grants it to the waiter that goes first (INTERACTIVE before BULK, FIFO in
a lane). The process books only while someone waits, at most one turn per host at a time, on the
host whose turn comes first (`domain.turns.rotation_order`). A cancelled waiter never keeps a
booked turn: it is given back unused. Woken by released turns and resumed circuits (`wake`) and by
its own timers; a host whose circuit is open is never booked nor waited for.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping

import structlog

from services.census_worker.domain.model import CensusSource
from services.census_worker.domain.turns import Booking, Lane, rotation_order
from services.census_worker.service_layer.open_circuits import OpenCircuits
from services.census_worker.service_layer.turn import Turn
from services.census_worker.service_layer.turn_store import NoObserver, TurnObserver, TurnStore

log = structlog.get_logger(__name__)
IDLE_RECHECK_S = 30.0  # with waiters and no wake-up at all, look again after this long


class TurnScheduler:
    def __init__(
        self,
        store: TurnStore,
        sources: Mapping[str, CensusSource],  # host → its source, in order of preference
        interval_s: float,
        lease_margin_s: float,
        observer: TurnObserver | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        circuits: OpenCircuits | None = None,
    ) -> None:
        self._store, self._sources, self._interval_s = store, dict(sources), interval_s
        self._margin_s, self._clock, self._sleep = lease_margin_s, clock, sleep
        self._observer = observer or NoObserver()
        self.circuits = circuits or OpenCircuits()
        self._waiters: dict[Lane, deque[asyncio.Future[Turn]]] = {lane: deque() for lane in Lane}
        self._granting: set[asyncio.Task[None]] = set()
        self._pending: set[str] = set()  # booked, waiting for the turn to come
        self._busy: set[str] = set()  # granted, not yet released
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self, _host: str | None = None) -> None:
        """A turn was released somewhere (or anything may have changed): look again."""
        self._changed.set()

    async def stop(self) -> None:
        """Stop booking; turns booked and not yet granted are given back."""
        for task in [*self._granting, *([self._task] if self._task else [])]:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    @contextlib.asynccontextmanager
    async def turn(self, lane: Lane) -> AsyncIterator[Turn]:
        turn = await self._wait_for_turn(lane)
        try:
            yield turn
        finally:
            await turn.close()
            if turn.circuit_opened:
                self.circuits.opened(turn.host)

    async def _wait_for_turn(self, lane: Lane) -> Turn:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="census-turn-scheduler")
        future: asyncio.Future[Turn] = asyncio.get_running_loop().create_future()
        self._waiters[lane].append(future)
        self.wake()
        asked = self._clock()
        try:
            turn = await asyncio.shield(future)
        except asyncio.CancelledError:
            with contextlib.suppress(ValueError):
                self._waiters[lane].remove(future)
            if future.done() and not future.cancelled():
                await future.result().close()  # granted just as we gave up: give it back
            future.cancel()
            raise
        self._observer.waited(lane, self._clock() - asked)
        return turn

    def _waiting(self) -> int:
        return sum(len(queue) for queue in self._waiters.values())

    def _next_waiter(self) -> tuple[Lane, asyncio.Future[Turn]] | None:
        for lane in Lane:
            queue = self._waiters[lane]
            while queue:
                if not (future := queue.popleft()).done():
                    return lane, future
        return None

    async def _run(self) -> None:
        await self._store.ensure_hosts(list(self._sources))
        while True:
            self._changed.clear()
            try:
                recheck_s = await self._book_for_waiters()
            except Exception:  # the database away for a moment: try again shortly
                log.exception("census.turn_booking_failed")
                recheck_s = 1.0
            await self._until_changed(recheck_s)

    async def _book_for_waiters(self) -> float | None:
        """Book as many turns as lookups wait; the time to look again when it could not."""
        need = self._waiting() - len(self._pending)
        free = [host for host in self._sources if host not in self._pending | self._busy]
        if need <= 0 or not free:
            return None
        views = await self._store.view(list(self._sources))
        self.circuits.seen(views)
        # Every host counts for "whose turn comes first", even those this process holds.
        order = rotation_order(views, list(self._sources), self._interval_s)
        for host in [host for host in order if host in free][:need]:
            booking = await self._store.book(host)
            if booking is not None:
                self._serve(booking)
                need -= 1
        if need <= 0:
            return None
        # A paused host's turn "comes" at once and forever: waiting for it would spin. With every
        # host paused the lookups wait for a resume's NOTIFY (or the idle recheck).
        bookable = [v for v in views if v.host in free and not v.circuit_open]
        waits = [v.free_in_s if v.held else v.start_in_s for v in bookable]
        return min([max(w, 0.05) for w in waits] or [IDLE_RECHECK_S])

    def _serve(self, booking: Booking) -> None:
        if booking.took_over:
            self._observer.took_over(booking.host)
        self._pending.add(booking.host)
        task = asyncio.create_task(self._grant_when_due(booking), name="census-turn-grant")
        self._granting.add(task)
        task.add_done_callback(self._granting.discard)

    async def _grant_when_due(self, booking: Booking) -> None:
        host, granted = booking.host, False
        try:
            confirmed = await self._until_start(booking)
            waiter = self._next_waiter() if confirmed else None
            if confirmed is None or waiter is None:
                return
            deadline = self._clock() + confirmed.lease_left_s
            lane, future = waiter
            turn = Turn(
                self._store,
                host,
                lane,
                self._sources[host],
                self._released,
                lambda: self._clock() < deadline,
                self._observer,
            )
            self._busy.add(host)
            granted = True
            future.set_result(turn)
        finally:
            if not granted:
                await asyncio.shield(self._store.release(host, Lane.BULK, used=False))
            self._pending.discard(host)
            self.wake()

    async def _until_start(self, booking: Booking) -> Booking | None:
        """Sleep until the booked turn comes (a cooldown may move it); None if it cannot be used."""
        while True:
            if booking.start_in_s > 0:
                await self._sleep(booking.start_in_s)
            confirmed = await self._store.confirm(booking.host)
            if confirmed is None or confirmed.lease_left_s < self._margin_s:
                return None  # lost, or too late to send a first request inside the lease
            if confirmed.start_in_s <= 0.002:
                return confirmed
            booking = confirmed

    def _released(self, host: str) -> None:
        self._busy.discard(host)
        self.wake()

    async def _until_changed(self, timeout_s: float | None) -> None:
        waiter = asyncio.ensure_future(self._changed.wait())
        timer = asyncio.ensure_future(self._sleep(timeout_s or IDLE_RECHECK_S))
        try:
            await asyncio.wait({waiter, timer}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
            timer.cancel()
