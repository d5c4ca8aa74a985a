"""The captcha account at start and while the worker runs: a refused key stops the worker at
once (no lookup could succeed), the balance is read every `interval_s` and a low one logged once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import structlog

from services.census_worker.lookup.captcha.solver import CaptchaError, CaptchaRejected
from services.census_worker.lookup.captcha.spend import CaptchaSpend

log = structlog.get_logger(__name__)


class BalanceSource(Protocol):
    async def balance(self) -> float: ...


class CaptchaAccountRefused(Exception):
    """The captcha service will not solve for this worker (missing, unknown or empty account)."""


@dataclass(frozen=True)
class AccountRules:
    live: bool  # the Registraduría's own site: a missing key is refused without asking
    has_key: bool
    low_balance: float
    interval_s: float


class BalanceWatch:
    """Reads the balance into `spend`; warns once each time it falls below `low_balance`."""

    def __init__(self, source: BalanceSource, spend: CaptchaSpend, rules: AccountRules) -> None:
        self._source, self._spend, self._rules = source, spend, rules
        self._warned = False

    async def check_at_start(self) -> None:
        """Raise `CaptchaAccountRefused` for an account that cannot pay for a single solve."""
        if self._rules.live and not self._rules.has_key:
            raise CaptchaAccountRefused("CENSUS_CAPTCHA_API_KEY is not set (live mode)")
        try:
            balance = await self._source.balance()
        except CaptchaRejected as exc:
            raise CaptchaAccountRefused(str(exc)) from exc
        except CaptchaError as exc:  # out of reach for now: the lookups will tell
            log.warning("captcha_balance_unavailable", error=str(exc))
            return
        if balance <= 0:
            raise CaptchaAccountRefused(
                f"captcha service: the account has no balance left ({balance:g}): top it up"
            )
        self._record(balance)

    async def check(self) -> None:
        try:
            self._record(await self._source.balance())
        except CaptchaError as exc:
            log.warning("captcha_balance_unavailable", error=str(exc))

    def _record(self, balance: float) -> None:
        self._spend.balance, self._spend.balance_checked_at = balance, datetime.now(UTC)
        low = balance < self._rules.low_balance
        if low and not self._warned:
            log.warning("captcha_balance_low", balance=balance, low_balance=self._rules.low_balance)
        self._warned = low  # warn again after a top-up and a new fall

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self._rules.interval_s)
            await self.check()


@contextlib.asynccontextmanager
async def watching_balance(watch: BalanceWatch) -> AsyncIterator[None]:
    """Check the account (raising `CaptchaAccountRefused`), then keep reading its balance."""
    await watch.check_at_start()
    task = asyncio.create_task(watch.run(), name="captcha-balance-watch")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
