"""The registration API benchmark's measurements as table figures and JSON details."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bench.infra import Served
from bench.load import LoadResult
from bench.report import BenchmarkResult, Figure

BASELINE = "baseline: outbox write removed"
SHIPPED = "as shipped: user + outbox row"
TARGET_RATIO = 0.80
PARTS = ("server", "postgres", "client")


@dataclass
class Variant:
    name: str
    server: Served
    database_url: str
    load: LoadResult = field(default_factory=LoadResult)
    cpu_s: dict[str, float] = field(default_factory=lambda: dict.fromkeys(PARTS, 0.0))
    rows: dict[str, int] = field(default_factory=dict)


def figures(name: str, variants: Sequence[Variant], connections: int) -> BenchmarkResult:
    baseline, shipped = variants
    _check_outbox_rows(baseline, shipped)
    out: list[Figure] = []
    for v in variants:
        target = f"≥ {TARGET_RATIO:.0%} of baseline" if v is shipped else None
        met = v.load.rate >= TARGET_RATIO * baseline.load.rate if v is shipped else None
        out.append(
            Figure(
                name, v.name, "requests/s (201)", v.load.rate, "/s", baseline.load.rate, target, met
            )
        )
    for v in variants:
        out.append(
            Figure(
                name,
                v.name,
                "p99 latency",
                v.load.percentile_ms(0.99),
                "ms",
                baseline.load.percentile_ms(0.99),
            )
        )
    for v in variants:
        out.append(
            Figure(
                name,
                v.name,
                f"failed, of {v.load.statuses.total()}",
                v.load.failed,
                "",
                None,
                "0",
                not v.load.failed,
            )
        )
    for v in variants:
        out.append(
            Figure(
                name,
                v.name,
                "API process CPU per request",
                _per_request_ms(v, "server"),
                "ms",
                _per_request_ms(baseline, "server"),
            )
        )
        out.append(
            Figure(
                name,
                v.name,
                "PostgreSQL CPU per request",
                _per_request_ms(v, "postgres"),
                "ms",
                _per_request_ms(baseline, "postgres"),
            )
        )
    details = {"connections": connections, "variants": [_details(v) for v in variants]}
    return BenchmarkResult(out, details)


def _check_outbox_rows(baseline: Variant, shipped: Variant) -> None:
    """The comparison only means something if the variants wrote what they claim to write."""
    if baseline.rows.get("outbox") != 0:
        raise RuntimeError(f"the no-outbox variant wrote outbox rows: {baseline.rows}")
    if shipped.rows.get("outbox") != shipped.rows.get("users"):
        raise RuntimeError(f"the shipped variant wrote one outbox row per user: {shipped.rows}")


def _per_request_ms(v: Variant, part: str) -> float:
    return v.cpu_s[part] / max(1, v.load.ok) * 1000


def _details(v: Variant) -> dict[str, Any]:
    return {
        "variant": v.name,
        "requests_ok": v.load.ok,
        "statuses": {str(k): n for k, n in v.load.statuses.items()},
        "seconds": round(v.load.seconds, 2),
        "requests_per_s": round(v.load.rate, 1),
        "latency_ms": {
            f"p{int(q * 100)}": round(v.load.percentile_ms(q), 1) for q in (0.5, 0.9, 0.99)
        },
        "cpu_s": {k: round(s, 2) for k, s in v.cpu_s.items()},
        "cores_used": {k: round(s / v.load.seconds, 2) for k, s in v.cpu_s.items()}
        if v.load.seconds
        else {},
        "rows": v.rows,
    }
