"""The census hosts' capacity on census.status: every `interval_s` each worker records its captcha
usage and refreshes which circuits are open; the one that claims the interval publishes the report.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Protocol

import structlog

from schemas.events import (
    CaptchaAccountState,
    CensusCapacityReported,
    CensusCapacityReportedData,
    CensusHostState,
)
from services.census_worker.service_layer.lookup_events import PRODUCER
from services.census_worker.service_layer.open_circuits import OpenCircuits
from services.census_worker.service_layer.validation import EventPublisher

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class CaptchaUsage:
    """Solves paid for and tokens expired (one process's, or every worker's), the last balance."""

    solves: int
    expired: int
    balance: float | None = None
    balance_checked_at: datetime | None = None

    def as_row(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class CaptchaAccount:
    """This process's captcha ledger (`read`) and the prices the report applies to the totals."""

    read: Callable[[], CaptchaUsage]
    price_per_1000: float
    low_balance: float


class CapacityStore(Protocol):
    async def hosts(self) -> list[CensusHostState]: ...
    async def claim_report(self, interval_s: float) -> bool: ...
    async def record_captcha(self, usage: CaptchaUsage) -> None: ...
    async def captcha_totals(self) -> CaptchaUsage: ...


class CapacityReporter:
    def __init__(
        self,
        store: CapacityStore,
        publisher: EventPublisher,
        interval_s: float,  # of the reports
        turn_interval_s: float,  # WORKER_MIN_INTERVAL_S, what a host's budget is
        circuits: OpenCircuits,
        captcha: CaptchaAccount | None,
    ) -> None:
        self._store, self._publisher, self._circuits = store, publisher, circuits
        self._interval_s, self._turn_interval_s, self._captcha = (
            interval_s,
            turn_interval_s,
            captcha,
        )

    async def run(self) -> None:
        while True:
            try:
                await self.report_once()
            except Exception:  # the database or Kafka away for a moment: the next tick tries again
                log.exception("census.capacity_report_failed")
            await asyncio.sleep(self._interval_s)

    async def report_once(self) -> CensusCapacityReported | None:
        """Record this worker's share; publish the report if no other worker did this interval."""
        if self._captcha is not None:
            await self._store.record_captcha(self._captcha.read())
        hosts = await self._store.hosts()
        self._circuits.replace(h.host for h in hosts if h.circuit_open_since is not None)
        if not await self._store.claim_report(self._interval_s):
            return None
        data = CensusCapacityReportedData(
            reported_at=datetime.now(UTC),
            interval_s=self._turn_interval_s,
            hosts=hosts,
            captcha=await self._captcha_state(),
        )
        event = CensusCapacityReported(producer=PRODUCER, data=data)
        await self._publisher.publish(event)
        return event

    async def _captcha_state(self) -> CaptchaAccountState | None:
        if self._captcha is None:
            return None
        totals = await self._store.captcha_totals()
        price = self._captcha.price_per_1000
        return CaptchaAccountState(
            solves=totals.solves,
            expired=totals.expired,
            price_per_1000=price,
            spend_usd=totals.solves * price / 1000,
            balance_usd=totals.balance,
            balance_checked_at=totals.balance_checked_at,
            low_balance_usd=self._captcha.low_balance,
        )
