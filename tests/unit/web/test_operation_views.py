"""How runs and topics read on the Operación page (no I/O)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from schemas.topics import ALL_TOPICS
from services.kafka_admin.dead_letters import Skip
from services.web.entrypoints.pages.operations import interrupted_text, redrive_text
from services.web.views.operations import TOPIC_LABELS, run_view

NOW = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)


def _row(**overrides: object) -> SimpleNamespace:
    values = {
        "run_id": 1,
        "kind": "rebuild",
        "operator": "ana",
        "target": "modelo de lectura del tablero",
        "status": "running",
        "done": 3_000,
        "total": 12_000,
        "message": None,
        "started_at": NOW - timedelta(seconds=10),
        "updated_at": NOW - timedelta(seconds=1),
        "finished_at": None,
    }
    return SimpleNamespace(**(values | overrides))


def test_every_declared_topic_has_a_spanish_description() -> None:
    assert set(TOPIC_LABELS) == {spec.name for spec in ALL_TOPICS}


def test_a_running_run_shows_its_share_rate_and_time_left() -> None:
    view = run_view(_row(), now=NOW)
    assert (view.percent, view.rate, view.remaining) == (25, "333/s", "27 s")
    assert view.status_label == "En curso" and view.silent_for is None


def test_a_running_run_that_stopped_reporting_says_so() -> None:
    view = run_view(_row(updated_at=NOW - timedelta(minutes=5)), now=NOW)
    assert view.silent_for == "5 min"


def test_a_finished_run_is_full_and_has_no_time_left() -> None:
    view = run_view(_row(status="succeeded", done=12_000, finished_at=NOW), now=NOW)
    assert (view.percent, view.remaining, view.status_label) == (100, None, "Terminada")


def test_a_run_without_a_total_has_no_bar() -> None:
    assert run_view(_row(total=None), now=NOW).percent is None


def test_redrive_messages_count_in_spanish() -> None:
    assert redrive_text("census.worker.dlt", 1, {}) == (
        "Se reenvió 1 mensaje de census.worker.dlt a su tópico original."
    )
    left = {Skip.TRUNCATED: 2, Skip.UNDECODABLE: 1, Skip.ALREADY_REDRIVEN: 1}
    assert redrive_text("census.worker.dlt", 3, left) == (
        "Se reenviaron 3 mensajes de census.worker.dlt a su tópico original. "
        "4 no se reenviaron: 2 truncados, 1 ilegible, 1 ya reenviado antes."
    )
    assert redrive_text("census.worker.dlt", 0, {Skip.NO_ORIGIN: 1}) == (
        "No se reenvió ningún mensaje de census.worker.dlt. "
        "1 no se reenvió: 1 sin tópico de origen."
    )
    assert redrive_text("web.projector.dlt", 0, {}) == (
        "No había mensajes para reenviar en web.projector.dlt."
    )
    assert "se alcanzaron a reenviar 4 mensajes" in interrupted_text(4)
