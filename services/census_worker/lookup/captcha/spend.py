"""What the captcha service costs: solves by result, tokens expired unused, the account's balance.

A plain ledger the lookup writes and the metrics read at scrape time (no I/O, no registry).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from services.census_worker.lookup.captcha.solver import (
    CaptchaError,
    CaptchaRejected,
    CaptchaSolver,
    CaptchaTimeout,
    CaptchaUnsolvable,
)

SOLVED = "solved"


@dataclass
class CaptchaSpend:
    """Counts of one process; only solved captchas are billed (2captcha refunds the rest)."""

    price_per_1000: float
    solves: Counter[str] = field(default_factory=Counter)
    expired: int = 0
    balance: float | None = None  # last known, in the account's currency
    balance_checked_at: datetime | None = None

    @property
    def estimated(self) -> float:
        return self.solves[SOLVED] * self.price_per_1000 / 1000


def result_of(error: Exception | None) -> str:
    """The `result` label of a solve that ended with `error` (None: a token)."""
    if error is None:
        return SOLVED
    for kind, label in _LABELS:
        if isinstance(error, kind):
            return label
    return "error"


_LABELS: tuple[tuple[type[CaptchaError], str], ...] = (
    (CaptchaRejected, "rejected"),
    (CaptchaUnsolvable, "unsolvable"),
    (CaptchaTimeout, "timeout"),
)


class CountedSolver:
    """Records every solve of the wrapped solver, and its outcome, in `spend`."""

    def __init__(self, solver: CaptchaSolver, spend: CaptchaSpend) -> None:
        self._solver, self._spend = solver, spend

    async def solve(self, sitekey: str, page_url: str) -> str:
        try:
            token = await self._solver.solve(sitekey, page_url)
        except Exception as exc:
            self._spend.solves[result_of(exc)] += 1
            raise
        self._spend.solves[SOLVED] += 1
        return token
