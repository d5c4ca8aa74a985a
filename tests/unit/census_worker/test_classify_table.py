"""The result table of the site, read by header: found, novedades, and broken tables."""

from __future__ import annotations

import pytest

from schemas.census import CensusStatus, Novedad
from tests.unit.census_worker.replies import (
    FOUND_HTML,
    SINCELEJO,
    classify,
    novedad_table,
    reply,
    table,
)


def test_captured_found_body_is_active_with_its_voting_place() -> None:
    result = classify(reply(FOUND_HTML), cedula="1102812122")

    assert result.status is CensusStatus.ACTIVE
    assert result.voting_place == SINCELEJO
    assert result.novedad is None and result.reason is None and result.source == "wsp"
    assert result.fetched_at.tzinfo is not None


def test_found_body_as_bytes_is_read_as_utf8() -> None:
    assert classify(reply(FOUND_HTML).encode()).voting_place == SINCELEJO


def test_found_table_is_read_by_header_whatever_the_column_order() -> None:
    headers = ["MESA", "DIRECCION", "PUESTO", "MUNICIPIO", "DEPARTAMENTO", "NUIP"]
    values = ["13", "CL 22 No. 10A-380", "IE SAN JOSE C I P", "SINCELEJO", "SUCRE", "1102812122"]

    assert classify(reply(table(headers, values))).voting_place == SINCELEJO


def test_found_table_without_data_th_is_read_through_its_th_headers() -> None:
    headers = ["nuip", "Departamento", "Municipio", "Puesto", "Dirección", "Mesa"]
    values = ["1102812122", "SUCRE", "SINCELEJO", "IE SAN JOSE C I P", "CL 22 No. 10A-380", "13"]

    assert classify(reply(table(headers, values, data_th=False))).voting_place == SINCELEJO


def test_headers_and_cells_with_extra_whitespace_and_entities_are_normalised() -> None:
    headers = ["  nuip ", "\nDEPARTAMENTO", "municipio\t", "PUESTO", "DIRECCI&Oacute;N", " mesa"]
    values = [
        " 1102812122",
        " SUCRE\n",
        "SINCELEJO ",
        "IE  SAN JOSE\nC I P",
        "CL 22 No. 10A-380",
        "<b> 13 </b>",
    ]

    assert classify(reply(table(headers, values))).voting_place == SINCELEJO


def test_table_missing_a_header_is_an_error_naming_it() -> None:
    headers = ["NUIP", "DEPARTAMENTO", "MUNICIPIO", "PUESTO", "MESA"]
    result = classify(reply(table(headers, ["1", "SUCRE", "SINCELEJO", "IE", "13"])))

    assert result.status is CensusStatus.ERROR
    assert "direccion" in (result.reason or "")
    assert result.raw_response and "SINCELEJO" in result.raw_response


def test_table_with_empty_cells_is_an_error() -> None:
    headers = ["DEPARTAMENTO", "MUNICIPIO", "PUESTO", "DIRECCIÓN", "MESA"]

    assert classify(reply(table(headers, ["SUCRE", "", "IE", "CL 1", "13"]))).status is (
        CensusStatus.ERROR
    )


def test_table_for_another_cedula_is_an_error() -> None:
    result = classify(reply(FOUND_HTML), cedula="1234567")

    assert result.status is CensusStatus.ERROR
    assert "another" in (result.reason or "")


def test_table_with_absurdly_long_values_is_an_error() -> None:
    headers = ["DEPARTAMENTO", "MUNICIPIO", "PUESTO", "DIRECCIÓN", "MESA"]
    values = ["SUCRE", "SINCELEJO", "IE", "CL 1", "1" * 500]

    assert classify(reply(table(headers, values))).status is CensusStatus.ERROR


@pytest.mark.parametrize(
    "novedad",
    [
        "Cancelada por Muerte",
        "CANCELADA POR MUERTE",
        "Cancelada por Muerte Facultad Ley",
        "cancelada  por   muerte",
        "CANCELADA POR MUÉRTE",
    ],
)
def test_novedad_of_death_is_cancelled_deceased(novedad: str) -> None:
    result = classify(reply(novedad_table(novedad)))

    assert result.status is CensusStatus.CANCELLED_DECEASED
    assert result.novedad == Novedad(
        novedad=" ".join(novedad.split()), resolucion="1234", fecha="15/03/2021"
    )


@pytest.mark.parametrize(
    "novedad",
    [
        "Cancelada por Doble Cedulación",
        "CANCELADA POR SUPLANTACIÓN",
        "Cancelada por Extranjería",
        "Baja por Pérdida o Suspensión de los Derechos Políticos",
        "Vigente con Interdicción Judicial",
        "Pendiente Solicitud en Reproceso",
    ],
)
def test_other_novedades_are_cancelled_other_keeping_the_novedad(novedad: str) -> None:
    result = classify(reply(novedad_table(novedad, resolucion="0042", fecha="2019-01-02")))

    assert result.status is CensusStatus.CANCELLED_OTHER
    assert result.novedad == Novedad(novedad=novedad, resolucion="0042", fecha="2019-01-02")


def test_novedad_table_without_resolucion_or_fecha_keeps_the_novedad() -> None:
    body = reply(table(["NUIP", "NOVEDAD"], ["1234567", "CANCELADA POR MUERTE"]))

    assert classify(body).novedad == Novedad(novedad="CANCELADA POR MUERTE")
