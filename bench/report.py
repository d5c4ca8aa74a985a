"""What a benchmark hands back (figures beside their baselines), and how a run shows and keeps
them: one table on the console, every figure and detail in a JSON file."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table


@dataclass(frozen=True)
class Figure:
    """One measured number, with the baseline it is compared to and the target it must meet.

    `ratio` is value / baseline; `met` is None when the figure has no target.
    """

    benchmark: str
    variant: str
    metric: str
    value: float
    unit: str
    baseline: float | None = None
    target: str | None = None
    met: bool | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline


@dataclass
class BenchmarkResult:
    """What a benchmark module's `run(smoke)` returns: its figures, and details for the JSON."""

    figures: list[Figure]
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunReport:
    """Every figure of one `bench.run`, with the machine it ran on and per-benchmark details."""

    mode: str
    machine: dict[str, Any]
    figures: list[Figure] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    durations_s: dict[str, float] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "machine": self.machine,
            "figures": [{**asdict(f), "ratio": f.ratio} for f in self.figures],
            "details": self.details,
            "durations_s": self.durations_s,
            "errors": self.errors,
        }

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=2, default=str) + "\n")


def progress(message: str) -> None:
    """A line on the console while a long benchmark runs."""
    print(f"  {message}", flush=True)


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    whole = float(value).is_integer() or abs(value) >= 100
    text = f"{value:,.0f}" if whole else f"{value:,.2f}"
    return f"{text} {unit}".strip()


def _met(met: bool | None) -> str:
    return {None: "—", True: "[green]yes[/green]", False: "[red]NO[/red]"}[met]


def table(report: RunReport) -> Table:
    title = f"Benchmarks ({report.mode}) · {report.machine.get('summary', '')}"
    out = Table(title=title, title_justify="left")
    for name in ("benchmark", "variant", "metric", "value", "baseline", "ratio", "target", "met?"):
        justify = "right" if name in ("value", "baseline", "ratio") else "left"
        out.add_column(name, justify=justify)
    for f in report.figures:
        ratio = f"{f.ratio:.2f}×" if f.ratio is not None else "—"
        out.add_row(
            f.benchmark,
            f.variant,
            f.metric,
            _number(f.value, f.unit),
            _number(f.baseline, f.unit),
            ratio,
            f.target or "—",
            _met(f.met),
        )
    return out


def show(report: RunReport, console: Console) -> None:
    console.print(table(report))
    for name, error in report.errors.items():
        console.print(f"[red]{name} failed:[/red] {error}")
    durations = ", ".join(f"{name} {s:.0f} s" for name, s in report.durations_s.items())
    console.print(f"durations: {durations}")
