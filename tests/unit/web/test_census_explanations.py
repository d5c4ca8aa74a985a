"""Every census status explained in plain Spanish (what happened, what comes next), and the
worker's technical reason shown to admins only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from litestar.plugins.jinja import JinjaTemplateEngine

from schemas.census import CensusStatus
from services.web.clock import Clock
from services.web.templating import TEMPLATES, _register_helpers
from services.web.views import explanations as ex
from services.web.views.census import census_view

NOW = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
CLOCK = Clock(stuck_after=timedelta(minutes=10), now=lambda: NOW)
REASON = "net::ERR_CONNECTION_RESET behind the firewall (TimeoutError after 30000 ms)"
ENGLISH = ("timeout", "firewall", "exception", "failed", "blocked", "http")


@pytest.mark.parametrize("status", list(CensusStatus))
def test_every_status_has_a_spanish_explanation(status: CensusStatus) -> None:
    """A status added to CensusStatus without its sentences fails here."""
    why = ex.explain(status, NOW)
    assert why.happened.endswith(".") and why.tone in {"muted", "warning", "error"}
    words = f"{why.happened} {why.next_step or ''}".lower()
    assert not any(word in words for word in ENGLISH), words


def test_the_tables_cover_exactly_the_statuses() -> None:
    assert set(ex.WHAT_HAPPENED) == set(ex.TONES) == set(CensusStatus)
    assert set(ex.AFTER_ANSWER) == {status for status in CensusStatus if status.is_final}


@pytest.mark.parametrize("status", [s for s in CensusStatus if s.is_failure])
def test_a_failure_with_a_retry_scheduled_says_when(status: CensusStatus) -> None:
    why = ex.explain(status, NOW, next_retry_at=NOW + timedelta(minutes=5))
    # 15:05 UTC is 10:05 in Bogotá
    assert why.next_step == "Lo intentaremos de nuevo automáticamente el 28/11/2026 10:05."
    assert why.tone == "error"


@pytest.mark.parametrize("status", [s for s in CensusStatus if s.is_failure])
def test_a_failure_without_a_retry_points_to_actualizar(status: CensusStatus) -> None:
    assert ex.explain(status, NOW).next_step == ex.ASK_AGAIN
    long_gone = NOW - timedelta(hours=1)
    assert ex.explain(status, NOW, next_retry_at=long_gone).next_step == ex.ASK_AGAIN


def test_a_retry_just_due_is_under_way() -> None:
    just_due = NOW - timedelta(minutes=1)
    assert ex.explain(CensusStatus.TIMEOUT, NOW, next_retry_at=just_due).next_step == (
        ex.RETRYING_NOW
    )


@pytest.mark.parametrize("status", [CensusStatus.PENDING, CensusStatus.PROCESSING])
def test_waiting_updates_itself_until_stuck(status: CensusStatus) -> None:
    assert ex.explain(status, NOW).next_step == ex.STILL_WAITING
    stuck = ex.explain(status, NOW, stuck_for="2 h 5 min")
    assert stuck.happened == "La verificación lleva 2 h 5 min sin respuesta."
    assert "«Actualizar»" in (stuck.next_step or "") and stuck.tone == "warning"


def test_a_clean_answer_asks_for_nothing() -> None:
    why = ex.explain(CensusStatus.ACTIVE, NOW)
    assert why.next_step is None and why.text == why.happened


def test_the_view_carries_the_explanation_of_its_row() -> None:
    row = {"status": "BLOCKED", "census_updated_at": NOW, "error_message": REASON}
    view = census_view({**row, "next_retry_at": NOW + timedelta(minutes=5)}, CLOCK)
    assert view.explanation.happened == ex.WHAT_HAPPENED[CensusStatus.BLOCKED]
    assert "10:05" in (view.explanation.next_step or "")
    assert REASON not in view.explanation.text


@pytest.fixture(scope="module")
def engine() -> JinjaTemplateEngine:
    engine = JinjaTemplateEngine(directory=TEMPLATES)
    _register_helpers(engine)
    return engine


@pytest.mark.parametrize("status", [s for s in CensusStatus if s.is_failure])
def test_the_card_shows_the_technical_reason_to_admins_only(
    engine: JinjaTemplateEngine, status: CensusStatus
) -> None:
    row = {"status": status.value, "census_updated_at": NOW, "error_message": REASON}
    census = census_view(row, CLOCK)
    card = engine.get_template("_census_card.html")
    for_people = card.render(census=census, user_id=uuid4(), show_raw=False)
    assert "ERR_CONNECTION_RESET" not in for_people and "firewall" not in for_people
    assert ex.WHAT_HAPPENED[status] in for_people and ex.ASK_AGAIN in for_people
    for_admins = card.render(census=census, user_id=uuid4(), show_raw=True)
    assert "ERR_CONNECTION_RESET behind the firewall" in for_admins


def test_a_referral_row_explains_a_failure_without_its_reason(engine: JinjaTemplateEngine) -> None:
    row = {
        "user_id": uuid4(),
        "nombre": "Ana",
        "cedula": "1102812122",
        "telefono": "3001234567",
        "registered_at": NOW,
        "status": "TIMEOUT",
        "census_updated_at": NOW,
        "error_message": REASON,
    }
    item = {"row": row, "census": census_view(row, CLOCK)}
    viewer = {"is_leader": True}
    html = engine.get_template("_referral_row.html").render(item=item, viewer=viewer)
    assert ex.ASK_AGAIN in html and "firewall" not in html
