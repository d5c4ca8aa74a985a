"""Whatever the census site puts in its answers' cells (control characters, NUL, lone surrogates,
noncharacters, huge values) is cleaned where it enters, for every field, or the answer is an
ERROR; a reason quoting the site never carries a whole cédula."""

from __future__ import annotations

import json

import pytest

from schemas.census import CensusStatus
from services.census_worker.lookup.consultacenso.classify import classify_consultacenso
from services.census_worker.lookup.replies.text import clean_cell, without_cedulas
from tests.unit.census_worker.replies import classify, reply, table

PLACE_HEADERS = ["NUIP", "DEPARTAMENTO", "MUNICIPIO", "PUESTO", "DIRECCIÓN PUESTO", "MESA"]
HOSTILE = "IE\x00 SAN\x07 JOSE\x1b\x7f\x85 C I P\ud800\uffff"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("IE\x00SAN", "IE SAN"),
        ("  A\t\n\r B  ", "A B"),
        ("Cafe\u0301", "Café"),  # NFC
        ("\ud83d x \ufffe", "x"),
        (HOSTILE, "IE SAN JOSE C I P"),
    ],
)
def test_a_cell_keeps_its_words_and_nothing_unprintable(raw: str, clean: str) -> None:
    assert clean_cell(raw) == clean


def test_every_field_of_a_wsp_table_is_cleaned() -> None:
    values = ["1102812122", HOSTILE, HOSTILE, HOSTILE, HOSTILE, "1\x003"]
    result = classify(reply(table(PLACE_HEADERS, values)), cedula="1102812122")
    assert result.status is CensusStatus.ACTIVE and result.voting_place is not None
    assert set(result.voting_place.model_dump().values()) == {"IE SAN JOSE C I P", "1 3"}


def test_every_field_of_a_consultacenso_answer_is_cleaned() -> None:
    data = {
        "nuip": "1102812122",
        "nom_depto": HOSTILE,
        "nom_mun": HOSTILE,
        "nom_puesto": HOSTILE,
        "direccion": HOSTILE,
        "mesa": "\x1f13",
    }
    body = json.dumps({"ok": True, "encontrado": True, "data": data})
    result = classify_consultacenso(body, source="consultacenso", cedula="1102812122")
    assert result.status is CensusStatus.ACTIVE and result.voting_place is not None
    assert set(result.voting_place.model_dump().values()) == {"IE SAN JOSE C I P", "13"}


def test_a_cell_too_long_for_the_schema_makes_the_answer_an_error_not_a_cut() -> None:
    values = ["1102812122", "SUCRE", "SINCELEJO", "X" * 5000, "CL 1", "13"]
    result = classify(reply(table(PLACE_HEADERS, values)), cedula="1102812122")
    assert result.status is CensusStatus.ERROR and result.voting_place is None
    assert "out of bounds" in (result.reason or "")


def test_reasons_quoting_the_site_mask_what_looks_like_a_cedula() -> None:
    body = json.dumps({"ok": False, "mensaje": "El documento 1102812122 presenta un error"})
    result = classify_consultacenso(body, source="consultacenso")
    assert "1102812122" not in (result.reason or "")
    assert "*******122" in (result.reason or "")
    assert without_cedulas("mesa 13, puesto 0042, año 2026") == "mesa 13, puesto 0042, año 2026"
