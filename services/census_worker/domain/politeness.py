"""Politeness towards the census host, as pure bookkeeping: a minimum interval between lookups,
and a cooldown that grows while the site answers BLOCKED (firewall page, captcha refused), reset
by a real answer. Times come from the caller's clock; waiting is the caller's job."""

from __future__ import annotations

from schemas.census import CensusStatus


class HostPoliteness:
    def __init__(
        self, min_interval_s: float, cooldown_base_s: float, cooldown_max_s: float
    ) -> None:
        self._min_interval_s = min_interval_s
        self._cooldown_base_s = cooldown_base_s
        self._cooldown_max_s = cooldown_max_s
        self._next_at = 0.0
        self._cooldown_until = 0.0
        self.blocked_in_a_row = 0

    def wait_s(self, now: float) -> float:
        """How long a lookup that wants to start at `now` must wait first."""
        return max(self._next_at, self._cooldown_until, now) - now

    def started(self, now: float) -> None:
        """A lookup started at `now`: the next one waits the minimum interval."""
        self._next_at = now + self._min_interval_s

    def answered(self, status: CensusStatus, now: float) -> float | None:
        """Record an answer; returns the cooldown (seconds) a BLOCKED answer starts, else None.

        Failures other than BLOCKED (a timeout, an error) neither cool down nor reset the count.
        """
        if status is CensusStatus.BLOCKED:
            cooldown = min(self._cooldown_base_s * 2.0**self.blocked_in_a_row, self._cooldown_max_s)
            self.blocked_in_a_row += 1
            self._cooldown_until = now + cooldown
            return cooldown
        if status.is_final:
            self.blocked_in_a_row = 0
        return None

    def cooldown_remaining_s(self, now: float) -> float:
        return max(self._cooldown_until - now, 0.0)
