"""An in-memory turn store with the PostgreSQL store's rules, on a virtual clock, for unit tests
of the scheduler and for wiring tests that need no database."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from schemas.census import CensusStatus
from schemas.events import CensusHostState
from services.census_worker.bootstrap import WorkerStores
from services.census_worker.domain.model import LookupResult
from services.census_worker.domain.turns import (
    Booking,
    HostAnswered,
    HostView,
    Lane,
    Resumed,
    blocked_cooldown_s,
)
from services.census_worker.service_layer.capacity_report import CaptchaUsage
from tests.support.fakes import MemoryAnswers

IDLE_YIELDS = 200  # enough loop rounds for a grant to reach its waiter and the release to run


class VirtualClock:
    """Time moves only when every task is asleep: then it jumps to the earliest wake-up."""

    def __init__(self) -> None:
        self.now = 0.0
        self._wake_ups: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        wake_up = self.now + max(seconds, 0.0)
        self._wake_ups.append(wake_up)
        try:
            while self.now < wake_up:
                seen = self.now
                for _ in range(IDLE_YIELDS):  # let every runnable task run first
                    await asyncio.sleep(0)
                # Time moved meanwhile: the tasks it woke get their rounds before it moves again.
                if self.now == seen and wake_up <= min(self._wake_ups):
                    self.now = max(self.now, wake_up)
        finally:
            self._wake_ups.remove(wake_up)


@dataclass
class Row:
    next_turn_at: float = 0.0
    holder: str | None = None
    lease_until: float = 0.0
    cooldown_until: float = 0.0
    blocked_in_a_row: int = 0
    circuit_open: bool = False
    unclassified_in_a_row: int = 0

    def start(self, now: float) -> float:
        return max(self.next_turn_at, self.cooldown_until, now)


@dataclass
class FakeTurnStore:
    clock: VirtualClock = field(default_factory=VirtualClock)
    worker: str = "w1"
    interval_s: float = 5.0
    lease_s: float = 15.0
    cooldown_base_s: float = 30.0
    cooldown_max_s: float = 900.0
    circuit_threshold: int = 5
    rows: dict[str, Row] = field(default_factory=dict)
    turns: list[tuple[str, float, str]] = field(default_factory=list)  # host, at, lane
    given_back: list[str] = field(default_factory=list)

    async def ensure_hosts(self, hosts: Sequence[str]) -> None:
        for host in hosts:
            self.rows.setdefault(host, Row(next_turn_at=self.clock.now))

    async def view(self, hosts: Sequence[str]) -> list[HostView]:
        now = self.clock.now
        return [
            HostView(
                host,
                row.start(now) - now,
                held=row.holder is not None and row.lease_until >= now,
                free_in_s=row.lease_until - now,
                circuit_open=row.circuit_open,
            )
            for host in hosts
            if (row := self.rows.get(host))
        ]

    async def book(self, host: str) -> Booking | None:
        row, now = self.rows[host], self.clock.now
        if row.circuit_open or (row.holder is not None and row.lease_until >= now):
            return None
        took_over = row.holder is not None
        if took_over:
            row.next_turn_at = max(row.next_turn_at, row.lease_until + self.interval_s)
        row.holder, row.lease_until = self.worker, row.start(now) + self.lease_s
        return Booking(host, row.start(now) - now, row.lease_until - now, took_over)

    async def confirm(self, host: str) -> Booking | None:
        row, now = self.rows[host], self.clock.now
        if row.holder != self.worker:
            return None
        return Booking(host, row.start(now) - now, row.lease_until - now)

    async def release(self, host: str, lane: Lane, used: bool) -> bool:
        row = self.rows[host]
        if row.holder != self.worker:
            return False
        row.holder = None
        if used:
            row.next_turn_at = self.clock.now + self.interval_s
            self.turns.append((host, self.clock.now, lane.name))
        else:
            self.given_back.append(host)
        return True

    async def answered(self, host: str, result: LookupResult) -> HostAnswered:
        row, status = self.rows[host], result.status
        opened = False
        if result.unclassified:
            row.unclassified_in_a_row += 1
            opened = not row.circuit_open and row.unclassified_in_a_row >= self.circuit_threshold
            row.circuit_open = row.circuit_open or opened
        else:
            row.unclassified_in_a_row = 0
        if status is CensusStatus.BLOCKED:
            cooldown = blocked_cooldown_s(
                self.cooldown_base_s, self.cooldown_max_s, row.blocked_in_a_row
            )
            row.blocked_in_a_row += 1
            row.cooldown_until = self.clock.now + cooldown
            return HostAnswered(cooldown, opened)
        if status.is_final:
            row.blocked_in_a_row = 0
        return HostAnswered(None, opened)

    def close_circuit(self, host: str) -> None:
        """What an operator's resume does to the row (the scheduler is woken separately)."""
        self.rows[host].circuit_open, self.rows[host].unclassified_in_a_row = False, 0

    async def resume(self, host: str, requested_at: datetime) -> Resumed:
        """The `CircuitStore` side (no opening times here: a resume closes an open circuit)."""
        if host not in self.rows:
            return Resumed.UNKNOWN_HOST
        if not self.rows[host].circuit_open:
            return Resumed.NOT_OPEN
        self.close_circuit(host)
        return Resumed.CLOSED


@dataclass
class MemoryCapacity:
    """The `CapacityStore` in memory: every claim succeeds unless `claimed_by_another`."""

    hosts_now: list[CensusHostState] = field(default_factory=list)
    usage: dict[str, CaptchaUsage] = field(default_factory=dict)
    claimed_by_another: bool = False

    async def hosts(self) -> list[CensusHostState]:
        return list(self.hosts_now)

    async def claim_report(self, interval_s: float) -> bool:
        return not self.claimed_by_another

    async def record_captcha(self, usage: CaptchaUsage) -> None:
        self.usage["me"] = usage

    async def captcha_totals(self) -> CaptchaUsage:
        rows = list(self.usage.values())
        checked = [u for u in rows if u.balance_checked_at is not None]
        latest = max(checked, key=lambda u: u.balance_checked_at or 0, default=None)
        return CaptchaUsage(
            sum(u.solves for u in rows),
            sum(u.expired for u in rows),
            latest.balance if latest else None,
            latest.balance_checked_at if latest else None,
        )


def fake_stores(
    turns: FakeTurnStore | None = None, capacity: MemoryCapacity | None = None
) -> WorkerStores:
    turns = turns or FakeTurnStore(interval_s=0)
    return WorkerStores(turns, MemoryAnswers(), turns, capacity or MemoryCapacity())
