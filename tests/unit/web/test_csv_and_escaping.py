"""What a hostile name can do: nothing in the CSV (no formulas) and nothing in the pages."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from uuid import uuid4

import pytest
from litestar.plugins.jinja import JinjaTemplateEngine

from schemas.events import Role
from services.web.clock import Clock
from services.web.templating import TEMPLATES, _register_helpers
from services.web.views.census import census_view
from services.web.views.csv_export import csv_line, neutralise

CLOCK = Clock(stuck_after=timedelta(minutes=10))
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_cells_that_spreadsheets_would_run_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Ana María Pérez", "3001234567", "", None, "O'Neill"])
def test_ordinary_cells_are_unchanged(cell: str | None) -> None:
    assert neutralise(cell) == ("" if cell is None else cell)


def test_commas_quotes_and_newlines_stay_inside_their_cell() -> None:
    line = csv_line(['Pérez, "Ana"', "línea\ndos", "=1"])
    assert next(csv.reader(io.StringIO(line))) == ['Pérez, "Ana"', "línea\ndos", "'=1"]


@pytest.fixture(scope="module")
def engine() -> JinjaTemplateEngine:
    engine = JinjaTemplateEngine(directory=TEMPLATES)
    _register_helpers(engine)
    return engine


def _row(**fields: object) -> dict:
    now = datetime.now(UTC)
    return {
        "user_id": uuid4(),
        "nombre": HOSTILE,
        "cedula": "1102812122",
        "telefono": "3001234567",
        "registered_at": now,
        "status": "CANCELLED_OTHER",
        "census_updated_at": now,
        "novedad": HOSTILE,
        "error_message": HOSTILE,
        **fields,
    }


def test_a_hostile_name_is_escaped_in_the_referral_row(engine: JinjaTemplateEngine) -> None:
    row = _row()
    item = {"row": row, "census": census_view(row, CLOCK)}
    viewer = SimpleNamespace(is_leader=True, role=Role.LEADER)
    html = engine.get_template("_referral_row.html").render(item=item, viewer=viewer)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_hostile_census_texts_are_escaped_in_the_card(engine: JinjaTemplateEngine) -> None:
    row = _row(status="ERROR", raw_response=HOSTILE)
    census = census_view(row, CLOCK)
    html = engine.get_template("_census_card.html").render(
        census=census, user_id=row["user_id"], show_raw=True
    )
    assert "<script>" not in html and "<img" not in html
    assert html.count("&lt;script&gt;") >= 2  # the error message and the raw response
