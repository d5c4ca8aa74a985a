"""The SSE fan-out benchmark's measurements as table figures and JSON details."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.report import BenchmarkResult, Figure

BASELINE = "baseline: 1 browser"
TARGET_S, TARGET_CLIENTS = 1.0, 2000


@dataclass
class Measured:
    variant: str
    clients: int
    latencies_s: list[float] = field(default_factory=list)
    timeline: list[tuple[float, float]] = field(default_factory=list)  # (committed at, latency)
    expected: int = 0
    resyncs: int = 0
    connect_s: float = 0.0
    project_s: float = 0.0
    cpu_s: dict[str, float] = field(default_factory=dict)


def percentile_ms(latencies_s: Sequence[float], q: float) -> float:
    if not latencies_s:
        return float("nan")
    ordered = sorted(latencies_s)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def figures(name: str, measured: Sequence[Measured]) -> BenchmarkResult:
    baseline = measured[0]
    base_p99 = percentile_ms(baseline.latencies_s, 0.99)
    out: list[Figure] = []
    for m in measured:
        p99 = percentile_ms(m.latencies_s, 0.99)
        lost = m.expected - len(m.latencies_s)
        target = met = None
        if m.clients >= TARGET_CLIENTS:
            target = f"< {TARGET_S * 1000:.0f} ms"
            met = p99 < TARGET_S * 1000 and not lost
        metric = "p99 commit → SSE event"
        out.append(Figure(name, m.variant, metric, p99, "ms", base_p99, target, met))
        metric = f"p50 commit → SSE event, of {m.expected}"
        p50 = percentile_ms(m.latencies_s, 0.5)
        out.append(
            Figure(name, m.variant, metric, p50, "ms", percentile_ms(baseline.latencies_s, 0.5))
        )
        out.append(
            Figure(
                name, m.variant, f"not delivered, of {m.expected}", lost, "", None, "0", not lost
            )
        )
        per_event = 1000 * m.cpu_s.get("web", 0.0) / max(1, len(m.latencies_s))
        out.append(Figure(name, m.variant, "web CPU per delivered event", per_event, "ms"))
    return BenchmarkResult(out, {"variants": [_details(m) for m in measured]})


def _details(m: Measured) -> dict[str, Any]:
    return {
        "variant": m.variant,
        "browsers": m.clients,
        "changes": m.expected,
        "delivered": len(m.latencies_s),
        "resync_events": m.resyncs,
        "latency_ms": {
            f"p{int(q * 100)}": round(percentile_ms(m.latencies_s, q), 1)
            for q in (0.5, 0.95, 0.99, 1.0)
        },
        "connect_all_s": round(m.connect_s, 2),
        "projecting_s": round(m.project_s, 2),
        "changes_per_s": round(m.expected / m.project_s, 1) if m.project_s else None,
        "cpu_s_during_changes": m.cpu_s,
        "worst_ms_by_5_s_of_commits": _worst_by_window(m.timeline, 5.0),
    }


def _worst_by_window(timeline: Sequence[tuple[float, float]], window_s: float) -> list[float]:
    """The slowest delivery among the changes committed in each window (stalls show here)."""
    if not timeline:
        return []
    start = timeline[0][0]
    worst: dict[int, float] = {}
    for committed_at, latency in timeline:
        slot = int((committed_at - start) // window_s)
        worst[slot] = max(worst.get(slot, 0.0), latency)
    return [round(worst.get(slot, 0.0) * 1000) for slot in range(max(worst) + 1)]
