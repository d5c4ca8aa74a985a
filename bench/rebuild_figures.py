"""The rebuild benchmark's measurements as table figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bench.report import Figure

BASELINE = "baseline: raw aiokafka read"
TARGET_RATIO, AIM_RATIO = 0.25, 0.50


@dataclass
class Measured:
    events: int
    raw_read_per_s: float  # the better of two plain reads, one before and one after the rebuild
    rebuild_per_s: float  # events / the rebuild's whole run (tables, replay, swap)
    rebuild_s: float
    produce_per_s: float
    rows: dict[str, int]
    load_1m: float  # the machine's 1-minute load average when the rebuild ended
    raw_cpu_s: dict[str, float]  # CPU seconds by process kind (python, java, postgres)
    rebuild_cpu_s: dict[str, float]
    machine_busy: float  # share of both cores busy during the rebuild, whoever used them

    @property
    def raw_cpu_us(self) -> float:
        """CPU per event of the plain read, every process (this one, Kafka) included."""
        return sum(self.raw_cpu_s.values()) / self.events * 1e6

    @property
    def rebuild_cpu_us(self) -> float:
        return sum(self.rebuild_cpu_s.values()) / self.events * 1e6

    @property
    def ratio(self) -> float:
        return self.rebuild_per_s / self.raw_read_per_s


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
