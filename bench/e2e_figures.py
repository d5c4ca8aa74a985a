"""The end-to-end latency benchmark's measurements as table figures and JSON details."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.e2e_observe import Trace
from bench.report import BenchmarkResult, Figure

BASELINE = "baseline: one direct lookup"
TARGET_MS, AIM_MS = 500.0, 200.0
QUANTILES = (0.5, 0.95, 0.99)


def percentile_ms(seconds: Sequence[float], q: float) -> float:
    if not seconds:
        return float("nan")
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


@dataclass
class Baseline:
    """Lookups straight through the lookup stack to the simulator, one after another."""

    seconds: list[float]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000


@dataclass
class Variant:
    name: str
    rate: float
    headline: bool
    traces: list[Trace] = field(default_factory=list)
    failed: int = 0  # registrations the API did not accept
    sending_s: float = 0.0
    cpu_s: dict[str, float] = field(default_factory=dict)
    load_average: float = 0.0

    @property
    def complete(self) -> list[Trace]:
        return [t for t in self.traces if t.pushed is not None and t.projected is not None]

    @property
    def unanswered(self) -> list[Trace]:
        return [t for t in self.traces if t.pushed is None or t.projected is None]

    @property
    def answered(self) -> int:
        return len(self.complete)


# Each hop as (name, start, end): Trace fields; they add up to the latency to the browser.
HOPS = (
    ("outbox relay (commit → accounts.events)", "returned_at", "registered_record"),
    ("Kafka → worker start (ValidationStarted)", "registered_record", "started"),
    ("lookup (ValidationStarted → CedulaValidated)", "started", "validated"),
    ("result → projection (NOTIFY)", "validated", "projected"),
    ("projection → SSE at the browser", "projected", "pushed"),
)


def _hop_s(trace: Trace, start: str, end: str) -> float:
    return getattr(trace, end) - getattr(trace, start)


def _read_table_s(t: Trace) -> float:
    return t.projected - t.returned_at  # type: ignore[operator]


def _sse_s(t: Trace) -> float:
    return t.pushed - t.returned_at  # type: ignore[operator]


def figures(name: str, baseline: Baseline, variants: Sequence[Variant]) -> BenchmarkResult:
    base = baseline.median_ms
    out = [Figure(name, BASELINE, "latency, median", base, "ms", base)]
    for v in variants:
        sse = [_sse_s(t) for t in v.complete]
        table = [_read_table_s(t) for t in v.complete]
        p99 = percentile_ms(sse, 0.99)
        out.append(Figure(name, v.name, "p99 → read table", percentile_ms(table, 0.99), "ms", base))
        out.append(Figure(name, v.name, "p99 → SSE at the browser", p99, "ms", base))
        unanswered = len(v.traces) - v.answered + v.failed
        target = met = None
        if v.headline:
            target = f"< {TARGET_MS:.0f} ms (aim {AIM_MS:.0f})"
            met = p99 - base < TARGET_MS and not unanswered
        overhead = "p99 → SSE minus direct lookup"
        out.append(Figure(name, v.name, overhead, p99 - base, "ms", None, target, met))
        ours = percentile_ms(
            [_sse_s(t) - _hop_s(t, "started", "validated") for t in v.complete], 0.99
        )
        out.append(Figure(name, v.name, "p99 → SSE minus its own lookup", ours, "ms"))
        total = len(v.traces) + v.failed
        metric = f"not answered, of {total}"
        out.append(Figure(name, v.name, metric, unanswered, "", None, "0", not unanswered))
        for hop, start, end in HOPS:  # issue 18 target 5: each hop's median and tail
            spent = [_hop_s(t, start, end) for t in v.complete]
            for q in (0.5, 0.99):
                metric = f"p{int(q * 100)} hop: {hop}"
                out.append(Figure(name, v.name, metric, percentile_ms(spent, q), "ms"))
    details = {
        "baseline_ms": _spread(baseline.seconds),
        "variants": [_details(v) for v in variants],
    }
    return BenchmarkResult(out, details)


def _spread(seconds: Sequence[float]) -> dict[str, float]:
    out = {f"p{int(q * 100)}": round(percentile_ms(seconds, q), 1) for q in QUANTILES}
    return {**out, "max": round(max(seconds, default=0.0) * 1000, 1), "n": len(seconds)}


def _details(v: Variant) -> dict[str, Any]:
    complete = v.complete
    return {
        "variant": v.name,
        "registrations": len(v.traces) + v.failed,
        "refused": v.failed,
        "answered": len(complete),
        "sending_s": round(v.sending_s, 1),
        "sent_per_s": round((len(v.traces) + v.failed) / v.sending_s, 2) if v.sending_s else None,
        "to_read_table_ms": _spread([_read_table_s(t) for t in complete]),
        "to_sse_ms": _spread([_sse_s(t) for t in complete]),
        "hops_ms": {hop: _spread([_hop_s(t, s, e) for t in complete]) for hop, s, e in HOPS},
        "fetched_to_validated_ms": _spread([_hop_s(t, "fetched", "validated") for t in complete]),
        "unanswered_last_stage": dict(Counter(t.reached for t in v.unanswered)),
        "lookups_failed": sum(t.failed for t in v.traces),
        "cpu_s_by_service": v.cpu_s,
        "load_average_at_end": round(v.load_average, 2),
    }
