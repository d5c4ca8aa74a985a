"""The live-budget benchmark's figures: budget used, rate against the portal loop, spacing,
lanes (sign-ups during a revalidation), recovery after a SIGKILL and captcha spend, each with the
issue's target."""

from __future__ import annotations

from dataclasses import asdict

from bench.live_budget_phase import Phase
from bench.live_budget_stack import INTERVAL_S, LEASE_S
from bench.report import BenchmarkResult, Figure

TURN_GUARD_S = 0.02  # WORKER_TURN_GUARD_S's default, added to every interval
BASELINE, KILLED = "baseline: portal loop", "SIGKILL of a turn's holder"


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
            "close_pairs": phase.close_pairs(),
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
