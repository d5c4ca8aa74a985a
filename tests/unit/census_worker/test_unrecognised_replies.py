"""Which replies count toward a host's circuit: only those no reader recognises (the page changed),
never a recognised failure (firewall, captcha refused, upstream timeout, HTTP errors)."""

from __future__ import annotations

import json

import pytest

from infra.registraduria_sim.consultacenso.bodies import changed_page
from infra.registraduria_sim.results import CHANGED_PAGE_MESSAGE
from schemas.census import CensusStatus
from services.census_worker.domain.model import LookupResult
from services.census_worker.lookup.consultacenso.classify import classify_consultacenso
from services.census_worker.lookup.replies.reading import never_raising
from services.census_worker.lookup.wsp.classify import classify_reply
from tests.unit.census_worker.replies import CAPTCHA_MESSAGE, FIREWALL_PAGE, reply


def _wsp(body: str, http_status: int | None = 200) -> LookupResult:
    result = classify_reply(body, source="wsp", http_status=http_status, cedula="1102812122")
    assert isinstance(result, LookupResult)
    return result


@pytest.mark.parametrize(
    "body",
    [
        reply("<div class='nuevo-portal'>Bienvenido al nuevo portal</div>"),
        json.dumps({"success": True, "data": {"mensaje": "renamed field"}}),
        "<html><body>Nuevo diseño</body></html>",
    ],
)
def test_wsp_replies_nobody_recognises_are_unclassified_errors(body: str) -> None:
    result = _wsp(body)

    assert result.status is CensusStatus.ERROR and result.unclassified
    assert result.raw_response


@pytest.mark.parametrize(
    ("body", "http_status"),
    [
        (FIREWALL_PAGE, 403),
        (reply(CAPTCHA_MESSAGE), 200),
        ("<html>Internal Server Error</html>", 500),
        ("<html>Gateway Timeout</html>", 504),
        ("", 200),
    ],
)
def test_recognised_failures_do_not_count_toward_the_circuit(body: str, http_status: int) -> None:
    assert not _wsp(body, http_status).unclassified


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"estado": "ok"}),
        json.dumps({"ok": True}),
        json.dumps({"ok": True, "encontrado": True}),
        json.dumps({"ok": True, "encontrado": True, "data": {"nuip": "1102812122"}}),
    ],
)
def test_consultacenso_replies_nobody_recognises_are_unclassified(body: str) -> None:
    result = classify_consultacenso(body, source="consultacenso", http_status=200, cedula=None)

    assert result.status is CensusStatus.ERROR and result.unclassified


def test_a_consultacenso_refusal_is_recognised() -> None:
    body = json.dumps({"ok": False, "error": "Servicio en mantenimiento"})

    assert not classify_consultacenso(body, source="consultacenso").unclassified


def test_a_reader_that_raises_gives_an_unclassified_error() -> None:
    def broken(text: str, source: str, status: int | None, cedula: str | None) -> LookupResult:
        raise KeyError("data")

    result = never_raising(broken, "<p>nuevo</p>", "wsp", 200, None)

    assert isinstance(result, LookupResult) and result.unclassified
    assert result.reason == "unclassifiable reply (KeyError)"


def test_the_simulators_changed_page_is_unclassified_on_both_variants() -> None:
    wsp = _wsp(json.dumps({"success": True, "data": {"message": CHANGED_PAGE_MESSAGE}}))
    consultacenso = classify_consultacenso(json.dumps(changed_page()), source="consultacenso")

    assert wsp.unclassified and consultacenso.unclassified
