"""Charts as data the SVG templates draw (templates/charts/): the palette and layout they share,
the table each keeps for readers who cannot see it, and labelled bars (lines: line_charts.py).

Colours are Okabe-Ito's, which hold for colour-blind readers; colour is never the only cue:
bars carry their label and value, lines a dash pattern of their own and their name at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from services.web.views.formatting import number

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4", "1 5", "12 6")
PATTERNS = ("", "rayas", "puntos", "cuadros")  # fills over the colour, by bar (the patterns macro)
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
