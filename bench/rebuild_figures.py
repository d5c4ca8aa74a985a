"""The rebuild benchmark's measurements as table figures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bench.report import Figure

if TYPE_CHECKING:
    from bench.rebuild import Measured

BASELINE = "baseline: raw aiokafka read"
TARGET_RATIO, AIM_RATIO = 0.25, 0.50


def figures(name: str, measured: Sequence[Measured], batch: int) -> list[Figure]:
    out: list[Figure] = []
    for m in measured:
        raw = m.raw_read_per_s
        out.append(Figure(name, f"{BASELINE}, {m.events:,} events", "events/s", raw, "/s", raw))
        out.append(
            Figure(
                name,
                f"rebuild, {m.events:,} events, {batch:,}/transaction",
                "events/s",
                m.rebuild_per_s,
                "/s",
                raw,
                f"≥ {TARGET_RATIO:.0%} of raw read (aim {AIM_RATIO:.0%})",
                m.rebuild_per_s >= TARGET_RATIO * raw,
            )
        )
    for m in measured:
        variant = f"rebuild, {m.events:,} events"
        cpu = "CPU per event, all processes"
        out.append(Figure(name, variant, cpu, m.rebuild_cpu_us, "µs", m.raw_cpu_us))
    return out
