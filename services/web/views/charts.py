"""Charts as data the SVG templates draw (templates/charts/): labelled bars, or lines over a
regular axis with their ticks; each keeps its numbers as a table for readers who cannot see it.

Colours are Okabe-Ito's, which hold for colour-blind readers; colour is never the only cue:
bars carry their label and value, lines a dash pattern of their own and their name at the end.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from services.web.views.formatting import number

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4", "1 5", "12 6")
PATTERNS = ("", "rayas", "puntos", "cuadros")  # fills over the colour, by bar (charts/_defs)
WIDTH, LABEL_W, BAR_H = 640, 220, 26
LEFT, RIGHT, TOP, BOTTOM, PLOT_H = 56, 190, 14, 30, 180


@dataclass(frozen=True)
class Table:
    head: Sequence[str]
    rows: Sequence[Sequence[str]]


@dataclass(frozen=True)
class Bar:
    label: str
    short: str  # cut to fit beside the bar; the whole label is in its tooltip and the table
    value: str
    y: float
    width: float
    colour: str
    pattern: str


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    desc: str
    bars: Sequence[Bar]
    table: Table
    width: int = WIDTH
    label_w: int = LABEL_W

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * BAR_H + 8


def bar_chart(
    id: str,
    title: str,
    desc: str,
    items: Sequence[tuple[str, int]],
    head: Sequence[str],
    colours: Sequence[str] = OKABE_ITO,
) -> BarChart:
    top = max((value for _, value in items), default=0) or 1
    room = WIDTH - LABEL_W - 70
    bars = [
        Bar(
            label,
            label if len(label) <= 30 else label[:29] + "…",
            number(value),
            i * BAR_H + 4,
            max(2.0, room * value / top) if value else 0.0,
            colours[i % len(colours)],
            PATTERNS[i % len(PATTERNS)],
        )
        for i, (label, value) in enumerate(items)
    ]
    table = Table(head, [(label, number(value)) for label, value in items])
    return BarChart(id, title, desc, bars, table)


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
