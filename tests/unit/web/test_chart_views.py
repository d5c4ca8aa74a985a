"""Charts as data: round axis steps, bars scaled to the largest with every label and value,
cumulative sign-ups carrying the days before the window, lines' end labels kept apart, and the
flow chart's series named in Spanish."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from services.web.views.charts import OKABE_ITO, Table, bar_chart
from services.web.views.flow_charts import flow_chart, lookup_charts, sample_name
from services.web.views.line_charts import line_chart, nice_step
from services.web.views.progress_charts import DAYS_SHOWN, signups_chart, status_chart


def test_axis_steps_are_round_and_reach_the_peak() -> None:
    assert [nice_step(p) for p in (0, 3, 7, 40, 95, 1_234, 100_000)] == [
        1,
        1,
        2,
        10,
        50,
        500,
        50_000,
    ]
    assert all(4 * nice_step(p) >= p for p in range(0, 5_000, 7))


def test_bars_scale_to_the_largest_and_keep_labels_and_values() -> None:
    chart = bar_chart(
        "g", "Título", "Descripción", [("Uno", 10), ("Dos", 5), ("Cero", 0)], ("A", "B")
    )
    widths = [bar.width for bar in chart.bars]
    assert widths[0] == 2 * widths[1] and widths[2] == 0
    assert [bar.value for bar in chart.bars] == ["10", "5", "0"]
    assert chart.bars[0].colour == OKABE_ITO[0] and chart.bars[1].pattern  # not colour alone
    assert chart.table.rows[0] == ("Uno", "10")


def test_cumulative_sign_ups_count_the_days_before_the_window() -> None:
    today = date(2026, 12, 4)
    old = today - timedelta(DAYS_SHOWN + 30)
    chart = signups_chart([(old, 7), (today - timedelta(1), 2), (today, 1_500)], today, 2_000, "x")
    assert chart.table.rows[0][2] == "7" and chart.table.rows[-1] == ("4 dic", "1.500", "1.509")
    assert chart.reference is not None and chart.reference[1] == "Meta: 2.000"
    assert "1.509 registros de x" in chart.desc


def test_status_chart_names_statuses_in_spanish_and_skips_empty_ones() -> None:
    chart = status_chart({"ACTIVE": 3, "NOT_FOUND": 1, "ERROR": 0}, "referidos")
    assert [bar.label for bar in chart.bars] == [
        "Activo (habilitado para votar)",
        "No encontrado en el censo",
    ]


def test_line_end_labels_are_kept_apart() -> None:
    chart = line_chart("g", "t", "d", ["a", "b"], [("Uno", [5, 5]), ("Dos", [5, 5])], Table((), ()))
    first, second = (line.label_y for line in chart.lines)
    assert abs(first - second) >= 14


def test_operations_series_per_status_host_and_lane() -> None:
    now = datetime(2026, 12, 4, 18, 30, 20, tzinfo=UTC)
    minute = now.replace(second=0) - timedelta(minutes=1)  # the last whole minute
    rows = [SimpleNamespace(minute=minute, host="wsp", status="ACTIVE", lookups=4)]
    by_status, by_host = lookup_charts(rows, now)
    assert [line.name for line in by_status.lines] == ["Activo"]
    assert [line.last for line in by_host.lines] == ["4"]
    assert sample_name("waiting:bulk") == "En espera: En bloque"
    samples = [SimpleNamespace(minute=minute, series="lag:census-worker", value=12)]
    assert flow_chart(samples, now).lines[0].name == "Retraso: census-worker"
