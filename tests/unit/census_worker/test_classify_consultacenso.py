"""The consultacenso API's replies row by row (contract), in either key case, and hostile ones."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from schemas.census import CensusStatus, Novedad, VotingPlace
from schemas.events import MAX_RAW_RESPONSE_CHARS
from services.census_worker.domain.model import LookupResult
from services.census_worker.lookup.consultacenso.classify import classify_consultacenso
from tests.unit.census_worker.replies import FIREWALL_PAGE, SINCELEJO

FOUND_DATA = {
    "nuip": "1102812122",
    "nom_depto": "SUCRE",
    "nom_mun": "SINCELEJO",
    "nom_puesto": "IE SAN JOSE C I P",
    "direccion": "CL 22 No. 10A-380",
    "mesa": "13",
}
FOUND = {
    "ok": True,
    "encontrado": True,
    "data": FOUND_DATA,
    "mapa": {"lat": 9.3, "lng": -75.4, "url": "https://maps.example/x"},
}


def upper(value: Any) -> Any:
    if isinstance(value, dict):
        return {key.upper(): upper(item) for key, item in value.items()}
    return value


def classify(reply: Any, **kwargs: Any) -> LookupResult:
    body = reply if isinstance(reply, (str, bytes)) or reply is None else json.dumps(reply)
    return classify_consultacenso(body, source="consultacenso", **kwargs)


@pytest.mark.parametrize("shape", [lambda r: r, upper], ids=["lower", "upper"])
def test_ok_and_encontrado_is_active_with_the_voting_place(shape) -> None:
    result = classify(shape(FOUND), cedula="1102812122")

    assert result.status is CensusStatus.ACTIVE
    assert result.voting_place == SINCELEJO
    assert result.raw_response is None and result.reason is None


def test_numbers_and_mixed_case_keys_are_read_too() -> None:
    data = {**FOUND_DATA, "mesa": 13, "nuip": 1102812122}
    reply = {"Ok": True, "Encontrado": True, "Data": {k.title(): v for k, v in data.items()}}

    assert classify(reply, cedula="1102812122").voting_place == SINCELEJO


def test_found_data_about_another_cedula_is_an_error() -> None:
    result = classify(FOUND, cedula="80012345")

    assert result.status is CensusStatus.ERROR and "another" in (result.reason or "")


@pytest.mark.parametrize(("missing", "field"), [("nom_mun", "municipio"), ("mesa", "mesa")])
def test_found_without_a_field_is_an_error_naming_it(missing: str, field: str) -> None:
    data = {key: value for key, value in FOUND_DATA.items() if key != missing}
    result = classify({**FOUND, "data": data})

    assert result.status is CensusStatus.ERROR
    assert result.raw_response and f"without {field}" in (result.reason or "")


@pytest.mark.parametrize("data", [None, [], "SUCRE", {"nom_depto": {"x": 1}}])
def test_found_without_usable_data_is_an_error(data: Any) -> None:
    assert classify({"ok": True, "encontrado": True, "data": data}).status is CensusStatus.ERROR


def test_found_value_too_long_is_an_error() -> None:
    data = {**FOUND_DATA, "mesa": "9" * 500}

    assert classify({**FOUND, "data": data}).status is CensusStatus.ERROR


@pytest.mark.parametrize("shape", [lambda r: r, upper], ids=["lower", "upper"])
def test_novedad_of_death_is_cancelled_deceased_keeping_both_texts(shape) -> None:
    reply = {
        "ok": True,
        "encontrado": False,
        "novedad": True,
        "mensaje": "CANCELADA POR MUERTE",
        "descripcion": "Resolución 4521 del 15/03/2019",
    }

    result = classify(shape(reply))

    assert result.status is CensusStatus.CANCELLED_DECEASED
    assert result.novedad == Novedad(
        novedad="CANCELADA POR MUERTE: Resolución 4521 del 15/03/2019",
        resolucion="4521",
        fecha="15/03/2019",
    )


@pytest.mark.parametrize(
    ("mensaje", "descripcion"),
    [
        ("Cancelada por muerte", ""),
        ("El documento presenta una novedad", "Cancelada por Muerte"),
        ("", "cancelada por muérte facultad ley"),
    ],
)
def test_death_is_found_in_either_text_whatever_case_and_accents(mensaje, descripcion) -> None:
    reply = {"ok": True, "novedad": True, "mensaje": mensaje, "descripcion": descripcion}

    assert classify(reply).status is CensusStatus.CANCELLED_DECEASED


def test_other_novedad_is_cancelled_other_keeping_its_text() -> None:
    reply = {
        "ok": True,
        "encontrado": False,
        "novedad": True,
        "mensaje": "CANCELADA POR DOBLE CEDULACIÓN",
        "descripcion": "",
    }
    result = classify(reply)

    assert result.status is CensusStatus.CANCELLED_OTHER
    assert result.novedad == Novedad(novedad="CANCELADA POR DOBLE CEDULACIÓN")


def test_resolucion_is_not_mistaken_for_a_date() -> None:
    reply = {
        "ok": True,
        "novedad": True,
        "mensaje": "Baja",
        "descripcion": "Resolución del 1/2/2020",
    }

    assert classify(reply).novedad == Novedad(
        novedad="Baja: Resolución del 1/2/2020", fecha="1/2/2020"
    )


@pytest.mark.parametrize("shape", [lambda r: r, upper], ids=["lower", "upper"])
def test_ok_and_not_encontrado_is_not_found(shape) -> None:
    reply = {
        "ok": True,
        "encontrado": False,
        "mensaje": "El documento consultado no se encuentra en el censo.",
    }
    result = classify(shape(reply))

    assert result.status is CensusStatus.NOT_FOUND and result.reason is None


@pytest.mark.parametrize(("ok", "encontrado"), [(1, 0), ("true", "false"), ("S", "N")])
def test_loose_flags_are_understood(ok: Any, encontrado: Any) -> None:
    assert classify({"ok": ok, "encontrado": encontrado}).status is CensusStatus.NOT_FOUND


@pytest.mark.parametrize(
    "error",
    [
        "Captcha inválido",
        "Token de captcha inválido o expirado.",
        "TOKEN EXPIRADO",
        "reCAPTCHA verification failed",
        "La sesión expiró",
    ],
)
def test_error_naming_captcha_token_or_expiry_is_blocked(error: str) -> None:
    result = classify({"ok": False, "encontrado": False, "error": error})

    assert result.status is CensusStatus.BLOCKED
    assert "captcha" in (result.reason or "") and result.raw_response


@pytest.mark.parametrize(
    "error",
    ["Tiempo de espera agotado consultando el censo.", "Upstream timed out", "Gateway timeout"],
)
def test_upstream_timeout_error_is_timeout(error: str) -> None:
    assert classify({"ok": False, "error": error}).status is CensusStatus.TIMEOUT


@pytest.mark.parametrize("error", ["Número de documento inválido.", "", None, 42])
def test_any_other_error_is_an_error_keeping_the_body(error: Any) -> None:
    reply = json.dumps({"ok": False, "error": error})
    result = classify(reply)

    assert result.status is CensusStatus.ERROR and result.raw_response == reply


@pytest.mark.parametrize("http_status", [200, 403, 500])
def test_firewall_page_is_blocked(http_status: int) -> None:
    result = classify(FIREWALL_PAGE, http_status=http_status)

    assert result.status is CensusStatus.BLOCKED and result.raw_response == FIREWALL_PAGE


def test_gateway_timeout_page_is_timeout() -> None:
    result = classify("<html>504 Gateway Time-out</html>", http_status=504)

    assert result.status is CensusStatus.TIMEOUT


@pytest.mark.parametrize(
    "body",
    [
        "",
        "  ",
        None,
        b"",
        "{not json",
        "[1, 2]",
        '"ok"',
        "null",
        "{}",
        '{"ok": "maybe"}',
        '{"ok": true}',
        '{"ok": true, "encontrado": "quizás"}',
        "[" * 100_000,
        "<html><body>Internal Server Error</body></html>",
    ],
)
def test_malformed_replies_are_errors(body: Any) -> None:
    result = classify(body, http_status=200)

    assert result.status is CensusStatus.ERROR and result.reason


def test_binary_junk_is_an_error_with_printable_raw_response() -> None:
    result = classify(os.urandom(4096) + b"\x00\xff")

    assert result.status is CensusStatus.ERROR
    assert result.raw_response is not None and "\x00" not in result.raw_response


def test_five_megabyte_reply_is_an_error_with_capped_raw_response() -> None:
    result = classify({**FOUND, "padding": "x" * 5_000_000})

    assert result.status is CensusStatus.ERROR
    assert len(result.raw_response or "") == MAX_RAW_RESPONSE_CHARS


def test_place_keys_match_the_schema() -> None:
    assert set(VotingPlace.model_fields) == {
        "departamento",
        "municipio",
        "puesto",
        "direccion",
        "mesa",
    }
