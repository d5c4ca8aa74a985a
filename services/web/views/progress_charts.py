"""The pictures of a campaign's progress (Inicio for a leader's own referidos, Admin for all):
cumulative sign-ups day by day against the goal, people per census status, and the municipios
and puestos where most of them vote."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from schemas.census import CensusStatus
from services.web.views.charts import BarChart, Table, bar_chart
from services.web.views.formatting import number
from services.web.views.labels import STATUS_LABELS
from services.web.views.line_charts import LineChart, line_chart

DAYS_SHOWN = 60
MONTHS = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")


def short_day(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


def signups_chart(
    per_day: Sequence[tuple[date, int]], today: date, goal: int | None, who: str
) -> LineChart:
    """Cumulative sign-ups over the last DAYS_SHOWN days (those before counted in the first)."""
    first = max(min((day for day, _ in per_day), default=today), today - timedelta(DAYS_SHOWN))
    days = [first + timedelta(n) for n in range((today - first).days + 1)]
    daily = dict.fromkeys(days, 0)
    total = 0
    for day, people in per_day:
        if day < first:
            total += people
        elif day in daily:
            daily[day] += people
    cumulative = []
    for day in days:
        total += daily[day]
        cumulative.append(total)
    desc = f"{number(total)} registros de {who} hasta hoy"
    desc += f", meta {number(goal)}." if goal else "."
    rows = [
        (short_day(d), number(daily[d]), number(c)) for d, c in zip(days, cumulative, strict=True)
    ]
    table = Table(("Día", "Registros del día", "Acumulado"), rows)
    return line_chart(
        "grafico-avance",
        "Registros acumulados por día",
        desc,
        [short_day(day) for day in days],
        [("Acumulado", cumulative)],
        table,
        ("Meta", goal) if goal else None,
    )


# Okabe-Ito by meaning: green can vote, blues wait, orange not found, red and purple cancelled,
# black and grey failed lookups (each bar is also labelled and patterned).
STATUS_COLOURS = {
    CensusStatus.PENDING: "#56B4E9",
    CensusStatus.PROCESSING: "#0072B2",
    CensusStatus.ACTIVE: "#009E73",
    CensusStatus.NOT_FOUND: "#E69F00",
    CensusStatus.CANCELLED_DECEASED: "#D55E00",
    CensusStatus.CANCELLED_OTHER: "#CC79A7",
    CensusStatus.ERROR: "#000000",
    CensusStatus.TIMEOUT: "#555555",
    CensusStatus.BLOCKED: "#999999",
}


def status_chart(people: dict[str, int], who: str) -> BarChart:
    shown = [s for s in STATUS_LABELS if people.get(s.value)]
    items = [(STATUS_LABELS[s], people[s.value]) for s in shown]
    total = sum(people.values())
    active = people.get(CensusStatus.ACTIVE.value, 0)
    desc = f"{number(total)} {who} por estado del censo; {number(active)} habilitados para votar."
    colours = [STATUS_COLOURS[s] for s in shown]
    head = ("Estado", "Personas")
    return bar_chart("grafico-estados", "Estado del censo", desc, items, head, colours)


def places_chart(id: str, title: str, items: Sequence[tuple[str, int]], kind: str) -> BarChart:
    leader = f"{items[0][0]} ({number(items[0][1])} personas)" if items else "sin datos aún"
    desc = f"Los {len(items)} {kind} con más personas de la campaña; primero {leader}."
    return bar_chart(id, title, desc, items, (kind.capitalize(), "Personas"))
