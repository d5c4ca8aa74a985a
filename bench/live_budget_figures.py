"""The live-budget benchmark's figures: budget used, rate against the portal loop, spacing,
lanes (sign-ups during a revalidation), recovery after a SIGKILL and captcha spend, each with the
issue's target."""

from __future__ import annotations

import itertools
import math
from dataclasses import asdict, dataclass, field

from bench.live_budget_stack import INTERVAL_S, LEASE_S
from bench.report import BenchmarkResult, Figure

TURN_GUARD_S = 0.02  # WORKER_TURN_GUARD_S's default, added to every interval
BASELINE, KILLED = "baseline: portal loop", "SIGKILL of a turn's holder"


@dataclass
class Phase:
    name: str
    hosts: int
    answered: int
    starts: dict[str, list[float]]  # host → first requests of its lookups (simulator's clock)
    captcha: dict[str, float]  # the workers' census_captcha_* metrics (and lookup time), summed
    sign_up_waits: list[float] = field(default_factory=list)  # sign-up → answer (Kafka), s
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


def figures(benchmark: str, phases: list[Phase], workers: int) -> BenchmarkResult:
    by_name = {phase.name: phase for phase in phases}
    baseline = by_name[BASELINE].rate
    one, two = by_name["one host"], by_name["two hosts"]
    out = [Figure(benchmark, BASELINE, "lookups/s", baseline, "/s", baseline)]
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
    if one.sign_up_waits:
        out.append(_lanes(benchmark, f"{workers} workers, one host", one))
    if killed := by_name.get(KILLED):
        limit = 2 * (INTERVAL_S + TURN_GUARD_S) + LEASE_S + 0.5
        out += [
            Figure(
                benchmark,
                killed.name,
                "gap in the request log around the kill",
                killed.gap_around_kill_s,
                "s",
                None,
                f"≤ interval + lease + interval (+0.5 s: {limit:g} s)",
                killed.gap_around_kill_s <= limit,
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
            "gaps_s": phase.gaps_profile(),
            "lookups": {host: len(times) for host, times in phase.starts.items()},
            "lookup_s": phase.lookup_s,
            **{k: v for k, v in asdict(phase).items() if k in _KEPT},
        }
        for phase in phases
    }
    if killed:
        details[killed.name] |= {
            "resumed_after_kill_s": killed.resumed_after_s,
            "gap_around_kill_s": killed.gap_around_kill_s,
        }
    return BenchmarkResult(out, details)


_KEPT = ("answered", "captcha", "seconds", "sign_up_waits")


def _lanes(benchmark: str, variant: str, phase: Phase) -> Figure:
    """Sign-ups during the revalidation: p95 from sign-up to answer, against 2 intervals plus
    one lookup (the phase's mean)."""
    limit = 2 * INTERVAL_S + phase.lookup_s
    return Figure(
        benchmark,
        variant,
        f"lanes: sign-up → answer p95 ({len(phase.sign_up_waits)} during the revalidation)",
        phase.sign_up_p95_s,
        "s",
        None,
        f"≤ 2 intervals + one lookup ({limit:.2f} s)",
        phase.sign_up_p95_s <= limit,
    )
