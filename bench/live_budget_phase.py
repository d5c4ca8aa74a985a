"""One phase of the live-budget benchmark as measured: its lookups' first requests per host
(the simulator's log), the workers' readings, the sign-ups' waits; and what follows from them
(rate, budget used, spacing, gaps, recovery after a SIGKILL)."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from bench.live_budget_stack import INTERVAL_S


@dataclass
class Phase:
    name: str
    hosts: int
    answered: int
    starts: dict[str, list[float]]  # host → first requests of its lookups (simulator's log)
    captcha: dict[str, float]  # the workers' census_captcha_* metrics (and lookup time), summed
    sign_up_waits: list[float] = field(default_factory=list)  # sign-up → answer (Kafka), s
    killed_at: float | None = None
    seconds: float | None = None  # measured by the caller (the baseline's loop)
    releases: dict[str, list[float]] = field(default_factory=dict)  # host → turns' releases (DB)

    @property
    def _all_starts(self) -> list[float]:
        return sorted(t for times in self.starts.values() for t in times)

    @property
    def rate(self) -> float:
        """Lookups a second: first requests over the time from the first to the last one."""
        if self.seconds is not None:
            return self.answered / self.seconds
        times = self._all_starts
        return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0

    @property
    def budget_used(self) -> float:
        return self.rate / (self.hosts / INTERVAL_S)

    @property
    def too_close(self) -> int:
        """Pairs of consecutive lookups of one host closer than the interval."""
        return sum(
            b - a < INTERVAL_S
            for times in self.starts.values()
            for a, b in itertools.pairwise(times)
        )

    def close_pairs(self) -> list[dict[str, float | str]]:
        """Each pair closer than the interval beside the two turns' releases in the workers'
        database (the release nearest each arrival; same machine, same wall clock): a release
        gap of at least the interval with a shorter arrival gap is delivery jitter between the
        worker and the host, not a turn granted early."""
        out: list[dict[str, float | str]] = []
        for host, times in self.starts.items():
            releases = self.releases.get(host, [])
            for a, b in itertools.pairwise(times):
                if b - a >= INTERVAL_S or not releases:
                    continue
                ra, rb = _nearest(releases, a), _nearest(releases, b)
                out.append(
                    {
                        "host": host,
                        "arrival_gap_s": b - a,
                        "release_gap_s": rb - ra,
                        "first_arrival_after_release_s": a - ra,
                        "second_arrival_after_release_s": b - rb,
                    }
                )
        return out

    def gaps_profile(self) -> dict[str, dict[str, float]]:
        """Per host: the closest gaps between consecutive lookups, and their quantiles."""
        out = {}
        for host, times in self.starts.items():
            gaps = sorted(b - a for a, b in itertools.pairwise(times))
            if gaps:
                quantiles = {
                    f"p{q}": gaps[min(len(gaps) - 1, len(gaps) * q // 100)] for q in (10, 50, 90)
                }
                out[host] = {"min": gaps[0], **quantiles, "mean": sum(gaps) / len(gaps)}
        return out

    @property
    def lookup_s(self) -> float:
        """One lookup: the workers' mean time from the turn to the answer."""
        count = self.captcha.get("census_lookup_duration_seconds_count", 0.0)
        total = self.captcha.get("census_lookup_duration_seconds_sum", 0.0)
        return total / count if count else math.nan

    @property
    def sign_up_p95_s(self) -> float:
        waits = sorted(self.sign_up_waits)
        return waits[math.ceil(0.95 * len(waits)) - 1] if waits else math.nan

    @property
    def resumed_after_s(self) -> float:
        """From the SIGKILL to the next lookup's first request at the host."""
        after = [t for t in self._all_starts if self.killed_at and t > self.killed_at]
        return after[0] - self.killed_at if after and self.killed_at else math.nan

    @property
    def gap_around_kill_s(self) -> float:
        """In the request log: the last first request before the SIGKILL to the first after."""
        if self.killed_at is None:
            return math.nan
        before = [t for t in self._all_starts if t <= self.killed_at]
        return self.resumed_after_s + (self.killed_at - before[-1]) if before else math.nan


def _nearest(times: list[float], t: float) -> float:
    return min(times, key=lambda r: abs(r - t))
