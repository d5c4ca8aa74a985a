"""The election calendar: the days left as Inicio says them, the admin's form values read strictly
(Spanish field errors, never an exception), when a plan is due, and the planned run's view."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from services.web.adapters.planned_runs import due_moment, plan_target
from services.web.auth.roles import ROUTE_ACCESS, Access
from services.web.clock import Clock
from services.web.views import election as e
from services.web.views.operations import run_view

TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (None, None),
        (date(2026, 12, 19), "Faltan 15 días para las elecciones"),
        (date(2030, 3, 18), "Faltan 1.200 días para las elecciones"),
        (date(2026, 12, 6), "Faltan 2 días para las elecciones"),
        (date(2026, 12, 5), "Falta 1 día para las elecciones: son mañana"),
        (date(2026, 12, 4), "Hoy son las elecciones"),
        (date(2026, 3, 8), "Las elecciones fueron el 08/03/2026"),
    ],
)
def test_the_days_left_in_spanish(day: date | None, text: str | None) -> None:
    assert e.countdown(day, TODAY) == text


def test_today_is_counted_in_colombia() -> None:
    late_evening_in_bogota = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)  # 4 Dec, 22:00 there
    assert Clock(timedelta(minutes=10), now=lambda: late_evening_in_bogota).today() == TODAY


def test_a_good_date_is_read() -> None:
    assert e.parse_election_date("2027-03-14", TODAY) == date(2027, 3, 14)
    assert e.parse_election_date("2026-12-04", TODAY) == TODAY  # the day itself


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", e.DATE_FORMAT),
        ("14/03/2027", e.DATE_FORMAT),
        ("2027-3-14", e.DATE_FORMAT),
        ("20270314", e.DATE_FORMAT),
        ("2027-03-14\n", e.DATE_FORMAT),
        ("2027-03-14T00:00", e.DATE_FORMAT),
        ("２０２７-03-14", e.DATE_FORMAT),  # fullwidth digits
        ("٢٠٢٧-03-14", e.DATE_FORMAT),  # Arabic-Indic digits
        ("²027-03-14", e.DATE_FORMAT),
        ("9" * 5_000, e.DATE_FORMAT),
        ("\x00", e.DATE_FORMAT),
        ("2027-02-30", e.DATE_MISSING),
        ("2027-13-01", e.DATE_MISSING),
        ("0000-01-01", e.DATE_MISSING),
        ("2026-12-03", e.DATE_PAST),
        ("2037-01-01", e.DATE_FAR),
    ],
)
def test_a_bad_date_is_a_spanish_field_error(text: str, error: str) -> None:
    with pytest.raises(e.FieldError) as refused:
        e.parse_election_date(text, TODAY)
    assert str(refused.value) == error
    assert str(refused.value).startswith("Fecha de las elecciones: ")


def test_days_before_are_read() -> None:
    election = date(2026, 12, 19)
    assert e.parse_days_before("15", election, TODAY) == 15
    assert e.parse_days_before("0", election, TODAY) == 0  # on election day itself


@pytest.mark.parametrize("text", ["", "abc", "-1", "1.5", "²", "٣", "366", "9" * 5_000, " 1"])
def test_days_that_are_not_a_plain_number_are_refused(text: str) -> None:
    with pytest.raises(e.FieldError, match=r"^Días antes: escriba un número entero"):
        e.parse_days_before(text, date(2027, 12, 19), TODAY)


def test_a_plan_needs_an_election_date_and_a_day_still_ahead() -> None:
    with pytest.raises(e.FieldError, match=e.NO_ELECTION):
        e.parse_days_before("15", None, TODAY)
    with pytest.raises(e.FieldError, match=r"ya pasó \(faltan 10 días\)"):
        e.parse_days_before("15", date(2026, 12, 14), TODAY)


def test_a_plan_is_due_at_the_start_of_its_day_in_colombia() -> None:
    due = due_moment(date(2027, 3, 14), 15)
    assert due == datetime(2027, 2, 27, 5, 0, tzinfo=UTC)
    assert plan_target(15) == "todos los usuarios, 15 días antes de las elecciones"
    assert plan_target(1) == "todos los usuarios, 1 día antes de las elecciones"


def test_a_planned_run_reads_as_planned_with_its_time() -> None:
    now = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    due = due_moment(date(2027, 3, 14), 15)
    row = SimpleNamespace(
        run_id=7, kind="revalidation", operator="Admin (web)", target=plan_target(15),
        status="planned", done=0, total=None, message=None, started_at=now, updated_at=now,
        finished_at=None, due_at=due,
    )  # fmt: skip
    view = run_view(row, now=now + timedelta(days=2))
    assert view.planned and view.status_label == "Planeada" and view.due_at == due
    assert view.silent_for is None  # a plan is not a run that stopped reporting


def test_only_admins_reach_the_calendar() -> None:
    names = ("election_calendar_page", "set_election_date", "plan_revalidation")
    assert {ROUTE_ACCESS[name] for name in (*names, "cancel_revalidation_plan")} == {Access.ADMIN}
