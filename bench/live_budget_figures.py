"""The live-budget benchmark's figures: budget used, rate against the portal loop, spacing,
recovery after a SIGKILL and captcha spend, each with the issue's target."""

from __future__ import annotations

import itertools
import math
from dataclasses import asdict, dataclass

from bench.live_budget_stack import INTERVAL_S, LEASE_S
from bench.report import BenchmarkResult, Figure

TURN_GUARD_S = 0.02  # WORKER_TURN_GUARD_S's default, added to every interval


@dataclass
class Phase:
    name: str
    hosts: int
    answered: int
    starts: dict[str, list[float]]  # host → first requests of its lookups (simulator's clock)
    captcha: dict[str, float]  # the workers' census_captcha_* metrics, summed
    killed_at: float | None = None
    seconds: float | None = None  # measured by the caller (the baseline's loop)

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

    @property
    def resumed_after_s(self) -> float:
        """From the SIGKILL to the next lookup's first request at the host."""
        after = [t for t in self._all_starts if self.killed_at and t > self.killed_at]
        return after[0] - self.killed_at if after and self.killed_at else math.nan


def figures(benchmark: str, phases: list[Phase], workers: int) -> BenchmarkResult:
    by_name = {phase.name: phase for phase in phases}
    baseline = by_name["baseline: portal loop"].rate
    one, two = by_name["one host"], by_name["two hosts"]
    out = [
        Figure(
            benchmark, by_name["baseline: portal loop"].name, "lookups/s", baseline, "/s", baseline
        )
    ]
    for phase, aim in ((one, 5), (two, 10)):
        variant = f"{workers} workers, {phase.name}"
        out += [
            Figure(
                benchmark,
                variant,
                "lookups/s",
                phase.rate,
                "/s",
                baseline,
                f"expect ≥ {aim}× baseline",
                phase.rate >= aim * baseline,
            ),
            Figure(
                benchmark,
                variant,
                "budget used",
                phase.budget_used,
                "",
                None,
                "≥ 0.95",
                phase.budget_used >= 0.95,
            ),
            Figure(
                benchmark,
                variant,
                f"lookups closer than {INTERVAL_S:g} s",
                phase.too_close,
                "",
                None,
                "0",
                phase.too_close == 0,
            ),
            Figure(
                benchmark,
                variant,
                "captcha tokens expired unused",
                phase.captcha.get("census_captcha_tokens_expired_total", 0.0),
                "",
                None,
                "0",
                phase.captcha.get("census_captcha_tokens_expired_total", 0.0) == 0,
            ),
        ]
    out.append(
        Figure(
            benchmark,
            f"{workers} workers, two hosts",
            "rate vs one host",
            two.rate,
            "/s",
            one.rate,
            "≥ 1.9× one host",
            two.rate >= 1.9 * one.rate,
        )
    )
    if killed := by_name.get("SIGKILL of a turn's holder"):
        limit = LEASE_S + INTERVAL_S + TURN_GUARD_S + 1.0
        out += [
            Figure(
                benchmark,
                killed.name,
                "budget resumed after",
                killed.resumed_after_s,
                "s",
                None,
                f"≤ lease + interval + 1 s ({limit:g} s)",
                killed.resumed_after_s <= limit,
            ),
            Figure(
                benchmark,
                killed.name,
                f"lookups closer than {INTERVAL_S:g} s",
                killed.too_close,
                "",
                None,
                "0",
                killed.too_close == 0,
            ),
        ]
    details = {
        phase.name: {
            "rate": phase.rate,
            "budget_used": phase.budget_used,
            "too_close": phase.too_close,
            "lookups": {host: len(times) for host, times in phase.starts.items()},
            **{k: v for k, v in asdict(phase).items() if k in ("answered", "captcha", "seconds")},
        }
        for phase in phases
    }
    details["lanes"] = (
        "not measured yet: waits for census.requests.bulk (lanes, another part of issue 13)"
    )
    return BenchmarkResult(out, details)
