"""Spanish labels of the nine statuses, stuck detection, durations, dates and pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from schemas.census import CensusStatus
from services.web.clock import Clock
from services.web.views import formatting
from services.web.views.census import census_view
from services.web.views.labels import STATUS_LABELS, badge_class, role_label, status_label
from services.web.views.pagination import Pagination, page_number

NOW = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
CLOCK = Clock(stuck_after=timedelta(minutes=10), now=lambda: NOW)


def test_the_nine_statuses_have_their_spanish_labels() -> None:
    assert {status.value: label for status, label in STATUS_LABELS.items()} == {
        "PENDING": "Pendiente",
        "PROCESSING": "Procesando",
        "ACTIVE": "Activo (habilitado para votar)",
        "NOT_FOUND": "No encontrado en el censo",
        "CANCELLED_DECEASED": "Cancelada por muerte",
        "CANCELLED_OTHER": "Cancelada (otra novedad)",
        "ERROR": "Error",
        "TIMEOUT": "Tiempo agotado",
        "BLOCKED": "Bloqueado",
    }


@pytest.mark.parametrize("status", list(CensusStatus))
def test_every_status_has_a_badge(status: CensusStatus) -> None:
    assert badge_class(status.value).startswith("badge badge--")
    assert status_label(status.value)


def test_roles_in_spanish() -> None:
    assert [role_label(r) for r in ("USER", "LEADER", "ADMIN")] == [
        "Usuario",
        "Líder",
        "Administrador",
    ]


def _row(status: str | None, waited: timedelta) -> dict:
    return {"status": status, "census_updated_at": NOW - waited, "registered_at": NOW}


@pytest.mark.parametrize("status", ["PENDING", "PROCESSING"])
def test_waiting_longer_than_the_threshold_is_stuck_with_how_long(status: str) -> None:
    view = census_view(_row(status, timedelta(hours=2, minutes=5)), CLOCK)
    assert view.stuck_for == "2 h 5 min"


def test_waiting_a_little_is_not_stuck() -> None:
    assert census_view(_row("PENDING", timedelta(minutes=3)), CLOCK).stuck_for is None


def test_an_answer_is_never_stuck_however_old() -> None:
    assert census_view(_row("ACTIVE", timedelta(days=30)), CLOCK).stuck_for is None


def test_a_user_without_a_census_row_is_pending_since_registration() -> None:
    row = {"registered_at": NOW - timedelta(minutes=30)}
    view = census_view(row, CLOCK)
    assert view.status is CensusStatus.PENDING
    assert view.stuck_for == "30 min"


def test_voting_place_and_novedad_only_when_present() -> None:
    row = {"status": "CANCELLED_DECEASED", "novedad": "CANCELADA POR MUERTE", "resolucion": "12"}
    view = census_view(row, CLOCK)
    assert view.place is None and view.cancelled
    assert view.novedad == {
        "novedad": "CANCELADA POR MUERTE",
        "resolucion": "12",
        "fecha_novedad": None,
    }


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (timedelta(seconds=40), "40 s"),
        (timedelta(minutes=12), "12 min"),
        (timedelta(hours=1), "1 h"),
        (timedelta(days=2, hours=3, minutes=9), "2 d 3 h"),
    ],
)
def test_durations(span: timedelta, text: str) -> None:
    assert formatting.duration(span) == text


def test_dates_are_shown_in_bogota_time() -> None:
    assert formatting.date_time(NOW) == "28/11/2026 10:00"
    assert formatting.date_time(None) == "—"


def test_numbers_cedulas_and_phones_the_colombian_way() -> None:
    assert formatting.number(5000) == "5.000"
    assert formatting.cedula("1102812122") == "1.102.812.122"
    assert formatting.telefono("3001234567") == "300 123 4567"


def test_pages_keep_the_filters_in_their_links() -> None:
    pages = Pagination(2, 20, 45, {"estado": "ACTIVE", "busqueda": "josé"})
    assert pages.pages == 3 and (pages.first_row, pages.last_row) == (21, 40)
    assert pages.previous == "?estado=ACTIVE&busqueda=jos%C3%A9"
    assert pages.next == "?estado=ACTIVE&busqueda=jos%C3%A9&pagina=3"
    assert Pagination(1, 20, 0).filter_query == ""


@pytest.mark.parametrize(("raw", "page"), [("3", 3), ("0", 1), ("-4", 1), ("x", 1), (None, 1)])
def test_page_numbers_from_the_address(raw: str | None, page: int) -> None:
    assert page_number(raw) == page
