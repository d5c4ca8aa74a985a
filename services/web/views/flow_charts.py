"""Operación's pictures of the last hours: census lookups per minute by status and by host, and
the consumer groups' lag with the lookups waiting per lane (sampled each minute)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from services.web.clock import BOGOTA
from services.web.views.capacity import LANE_LABELS
from services.web.views.charts import Table
from services.web.views.formatting import number
from services.web.views.labels import STATUS_LABELS
from services.web.views.line_charts import LineChart, line_chart

HOURS = 3


def minutes(now: datetime) -> list[datetime]:
    """The whole minutes of the last HOURS (the current one is not over yet)."""
    last = now.replace(second=0, microsecond=0) - timedelta(minutes=1)
    return [last - timedelta(minutes=n) for n in range(HOURS * 60 - 1, -1, -1)]


def _clock(minute: datetime) -> str:
    return minute.astimezone(BOGOTA).strftime("%H:%M")


def _chart(
    id: str, title: str, what: str, axis: Sequence[datetime], per: dict[str, dict[datetime, int]]
) -> LineChart:
    names = sorted(per)
    series = [(name, [per[name].get(m, 0) for m in axis]) for name in names]
    rows = [(_clock(m), *(number(values[i]) for _, values in series)) for i, m in enumerate(axis)]
    totals = ", ".join(f"{name}: {number(sum(values))}" for name, values in series)
    desc = f"{what} en las últimas {HOURS} horas, minuto a minuto. {totals or 'Sin datos.'}"
    table = Table(("Hora", *names), rows)
    return line_chart(id, title, desc, [_clock(m) for m in axis], series, table)


def lookup_charts(rows: Iterable[Any], now: datetime) -> list[LineChart]:
    by_status: dict[str, dict[datetime, int]] = defaultdict(lambda: defaultdict(int))
    by_host: dict[str, dict[datetime, int]] = defaultdict(lambda: defaultdict(int))
    labels = {status.value: label.split(" (")[0] for status, label in STATUS_LABELS.items()}
    for row in rows:
        by_status[labels.get(row.status, row.status)][row.minute] += row.lookups
        by_host[row.host][row.minute] += row.lookups
    axis = minutes(now)
    return [
        _chart(
            "grafico-consultas-estado",
            "Consultas por minuto, por resultado",
            "Consultas terminadas",
            axis,
            by_status,
        ),
        _chart(
            "grafico-consultas-sitio",
            "Consultas por minuto, por sitio",
            "Consultas terminadas",
            axis,
            by_host,
        ),
    ]


def sample_name(series: str) -> str:
    kind, _, name = series.partition(":")
    if kind == "waiting":
        return f"En espera: {LANE_LABELS.get(name, name).split(' (')[0]}"
    return f"Retraso: {name}"


def flow_chart(rows: Iterable[Any], now: datetime) -> LineChart:
    per: dict[str, dict[datetime, int]] = defaultdict(dict)
    for row in rows:
        per[sample_name(row.series)][row.minute] = int(row.value)
    what = "Mensajes sin leer de cada grupo y consultas en espera por carril"
    return _chart("grafico-retraso", "Retraso y consultas en espera", what, minutes(now), per)
