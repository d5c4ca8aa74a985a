"""Line charts as data the SVG templates draw (templates/charts/_charts.html): each series a
polyline over a regular axis with a dash pattern of its own and its name at its end, round ticks,
and an optional goal line; the numbers also as a table."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from services.web.views.charts import (
    BOTTOM,
    DASHES,
    LEFT,
    OKABE_ITO,
    PLOT_H,
    RIGHT,
    TOP,
    WIDTH,
    Table,
)
from services.web.views.formatting import number


@dataclass(frozen=True)
class Line:
    name: str
    points: str  # "x,y x,y …" in the SVG's units
    colour: str
    dash: str
    end: tuple[float, float]
    last: str
    label_y: float = 0.0  # the name at the end, moved apart from the other lines' names


@dataclass(frozen=True)
class Tick:
    at: float
    text: str


@dataclass(frozen=True)
class LineChart:
    id: str
    title: str
    desc: str
    lines: Sequence[Line]
    x_ticks: Sequence[Tick]
    y_ticks: Sequence[Tick]
    reference: tuple[float, str] | None  # a goal: its height and label
    table: Table
    width: int = WIDTH
    height: int = TOP + PLOT_H + BOTTOM
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom: int = TOP + PLOT_H


def line_chart(
    id: str,
    title: str,
    desc: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    table: Table,
    reference: tuple[str, int] | None = None,
) -> LineChart:
    peak = max([v for _, values in series for v in values] + [reference[1] if reference else 0])
    step = nice_step(peak)
    top = step * 4
    span = max(1, len(x_labels) - 1)

    def x(i: int) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * i / span, 1)

    def y(value: float) -> float:
        return round(TOP + PLOT_H * (1 - value / top), 1)

    lines = [
        Line(
            name,
            " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values)),
            OKABE_ITO[n % len(OKABE_ITO)],
            DASHES[n % len(DASHES)],
            (x(len(values) - 1), y(values[-1] if values else 0)),
            number(values[-1]) if values else "0",
        )
        for n, (name, values) in enumerate(series)
    ]
    lines = _labels_apart(lines)
    every = max(1, math.ceil(len(x_labels) / 6))
    x_ticks = [Tick(x(i), label) for i, label in enumerate(x_labels) if i % every == 0]
    y_ticks = [Tick(y(step * k), number(step * k)) for k in range(5)]
    goal = (y(reference[1]), f"{reference[0]}: {number(reference[1])}") if reference else None
    return LineChart(id, title, desc, lines, x_ticks, y_ticks, goal, table)


def _labels_apart(lines: list[Line], gap: float = 14) -> list[Line]:
    """Each line's name beside its end, at least `gap` below the one above, all inside."""
    placed: dict[str, float] = {}
    floor = 0.0
    for line in sorted(lines, key=lambda line: line.end[1]):
        placed[line.name] = floor = max(line.end[1] + 4, floor + gap)
    overflow = max(0.0, floor - (TOP + PLOT_H + 8))
    return [replace(line, label_y=placed[line.name] - overflow) for line in lines]


def nice_step(peak: int) -> int:
    """A round step (1, 2 or 5 times a power of ten) of which four reach `peak`."""
    rough = max(1.0, peak / 4)
    power = 10 ** math.floor(math.log10(rough))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= rough))
