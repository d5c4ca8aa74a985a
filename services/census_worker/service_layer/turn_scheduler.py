"""Waiting for a turn at a census host inside one worker process.

`async with scheduler.turn(lane) as turn:` waits until this process has booked a host's turn for
the waiter that goes first (INTERACTIVE before BULK, FIFO in a lane) and grants it at once, about
an interval before it comes: the lookup prepares its page meanwhile and awaits `turn.comes()`
before its first request. The process books only while someone waits, at most one turn per host
at a time, on the host whose turn comes first (`domain.turns.rotation_order`), so a process with
two waiters keeps a booking at each of two hosts. A process whose waiters are all BULK books a
moment later (`bulk_yield_s`), so one with a sign-up waiting books first. A cancelled waiter never
keeps a booked turn: it is given back unused. Woken by released turns and resumed circuits
(`wake`) and by its timers; a host whose circuit is open is never booked nor waited for.
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
from services.census_worker.service_layer.turn import Turn, TurnRules
from services.census_worker.service_layer.turn_store import NoObserver, TurnObserver, TurnStore

log = structlog.get_logger(__name__)
IDLE_RECHECK_S = 30.0  # with waiters and no wake-up at all, look again after this long
# A booking is confirmed this long before its start (one query less on the turn's critical path).
CONFIRM_AHEAD_S = 0.05


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
        bulk_yield_s: float = 0.0,
        circuits: OpenCircuits | None = None,
    ) -> None:
        self._store, self._sources, self._interval_s = store, dict(sources), interval_s
        self._margin_s, self._clock, self._sleep = lease_margin_s, clock, sleep
        self._observer, self._bulk_yield_s = observer or NoObserver(), bulk_yield_s
        self.circuits = circuits or OpenCircuits()
        self._waiters: dict[Lane, deque[asyncio.Future[Turn]]] = {lane: deque() for lane in Lane}
        self._asked_at: dict[asyncio.Future[Turn], float] = {}  # for the wait metric
        self._busy: set[str] = set()  # booked and granted, not yet released
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self, _host: str | None = None) -> None:
        """A turn was released somewhere (or anything may have changed): look again."""
        self._changed.set()

    async def stop(self) -> None:
        """Stop booking (turns already granted belong to their lookups)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    @contextlib.asynccontextmanager
    async def turn(self, lane: Lane, ahead: bool = False) -> AsyncIterator[Turn]:
        """`ahead`: first in its lane (a lookup whose turn was lost waits again in front)."""
        turn = await self._wait_for_turn(lane, ahead)
        try:
            yield turn
        finally:
            await turn.close()
            if turn.circuit_opened:
                self.circuits.opened(turn.host)

    async def _wait_for_turn(self, lane: Lane, ahead: bool) -> Turn:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="census-turn-scheduler")
        future: asyncio.Future[Turn] = asyncio.get_running_loop().create_future()
        (self._waiters[lane].appendleft if ahead else self._waiters[lane].append)(future)
        self._asked_at[future] = self._clock()
        self.wake()
        try:
            turn = await asyncio.shield(future)
        except asyncio.CancelledError:
            self._asked_at.pop(future, None)
            with contextlib.suppress(ValueError):
                self._waiters[lane].remove(future)
            if future.done() and not future.cancelled():
                await future.result().close()  # granted just as we gave up: give it back
            future.cancel()
            raise
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
            if self._bulk_yield_s and self._waiting() and not self._waiters[Lane.INTERACTIVE]:
                await self._sleep(self._bulk_yield_s)  # a process with a sign-up books first
            try:
                recheck_s = await self._book_for_waiters()
            except Exception:  # the database away for a moment: try again shortly
                log.exception("census.turn_booking_failed")
                recheck_s = 1.0
            await self._until_changed(recheck_s)

    async def _book_for_waiters(self) -> float | None:
        """Book a turn for each lookup waiting, at most one per host; the time to look again
        when a waiter is left without one."""
        need = self._waiting()
        free = [host for host in self._sources if host not in self._busy]
        if need <= 0 or not free:
            return None
        views = await self._store.view(list(self._sources))
        self.circuits.seen(views)
        # Every host counts for "whose turn comes first", even those this process holds.
        order = rotation_order(views, list(self._sources), self._interval_s)
        for host in [host for host in order if host in free][:need]:
            booking = await self._store.book(host)
            if booking is not None:
                await self._grant(booking)
        if self._waiting() <= 0:
            return None
        # A paused host's turn "comes" at once and forever: waiting for it would spin. With every
        # host paused the lookups wait for a resume's NOTIFY (or the idle recheck).
        bookable = [v for v in views if v.host in free and not v.circuit_open]
        waits = [v.free_in_s if v.held else v.start_in_s for v in bookable]
        return min([max(w, 0.05) for w in waits] or [IDLE_RECHECK_S])

    async def _grant(self, booking: Booking) -> None:
        """Give the booked turn to the first waiter now, before it comes; back if none is left."""
        if booking.took_over:
            self._observer.took_over(booking.host)
        if (waiter := self._next_waiter()) is None:
            await asyncio.shield(self._store.release(booking.host, Lane.BULK, used=False))
            return
        lane, future = waiter
        asked_at, booked_at = self._asked_at.pop(future, self._clock()), self._clock()
        rules = TurnRules(
            lambda: self._until_start(booking, booked_at), self._clock, self._released, asked_at
        )
        host = booking.host
        self._busy.add(host)
        future.set_result(Turn(self._store, host, lane, self._sources[host], rules, self._observer))

    async def _until_start(self, booking: Booking, read_at: float) -> float | None:
        """Sleep until the booked turn comes (a cooldown may move it); the lease's deadline on
        this clock, or None when it cannot be used. `read_at`: when `booking` was read (the
        page was prepared since)."""
        while True:
            if (start_in_s := booking.start_in_s - (self._clock() - read_at)) > CONFIRM_AHEAD_S:
                await self._sleep(start_in_s - CONFIRM_AHEAD_S)
            confirmed = await self._store.confirm(booking.host)
            if confirmed is None or confirmed.lease_left_s < self._margin_s:
                return None  # lost, or too late to send a first request inside the lease
            read_at = self._clock()
            if confirmed.start_in_s <= CONFIRM_AHEAD_S + 0.002:  # what a sleep may miss by
                if confirmed.start_in_s > 0:
                    await self._sleep(confirmed.start_in_s)
                return read_at + confirmed.lease_left_s
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
