"""The HTML the simulated site sends, compared with the body captured from the real one."""

from __future__ import annotations

from bs4 import BeautifulSoup

from infra.registraduria_sim import results
from infra.registraduria_sim.outcome import Novedad, VotingPlace

CAPTURED_FOUND_BODY = (
    "<div class='table-responsive'>"
    "<table class='display responsive table table-bordered table-striped' id='consulta'><thead>"
    "<tr><th class='text-center'>NUIP</th><th class='text-center'>DEPARTAMENTO</th>"
    "<th class='text-center'>MUNICIPIO</th><th class='text-center'>PUESTO</th>"
    "<th class='text-center'>DIRECCIÓN</th><th class='text-center'>MESA</th></tr></thead><tbody>"
    "<tr><td data-th='NUIP'>1102812122</td><td data-th='DEPARTAMENTO'>SUCRE</td>"
    "<td data-th='MUNICIPIO'>SINCELEJO</td><td data-th='PUESTO'>IE SAN JOSE C I P</td>"
    "<td data-th='DIRECCIÓN'>CL 22 No. 10A-380</td><td data-th='MESA' class='text-center'><b>13"
    "</b></td></tr></tbody></table></p></div><h3><b>Señor Ciudadano:</b></h3>"
    "<h4 style='font-weight: 400 !important;'>Si usted realizó su trámite de inscripción, "
    "recuerde que éste se verá reflejado una vez sea validado y se conforme el censo electoral "
    "definitivo para las elecciones de Congreso, presidente y vicepresidente de la República "
    "2026.</h4>"
)
SINCELEJO = VotingPlace(
    departamento="SUCRE",
    municipio="SINCELEJO",
    puesto="IE SAN JOSE C I P",
    direccion="CL 22 No. 10A-380",
    mesa="13",
)


def test_found_body_is_the_captured_one_byte_for_byte():
    assert results.found_html("1102812122", SINCELEJO) == CAPTURED_FOUND_BODY


def test_found_table_has_the_six_headers_and_cells_by_header():
    table = BeautifulSoup(results.found_html("1102812122", SINCELEJO), "html.parser").select_one(
        "table#consulta"
    )
    headers = [th.get_text() for th in table.select("th")]
    cells = {td["data-th"]: td.get_text() for td in table.select("td[data-th]")}

    assert headers == ["NUIP", "DEPARTAMENTO", "MUNICIPIO", "PUESTO", "DIRECCIÓN", "MESA"]
    assert cells["MUNICIPIO"] == "SINCELEJO" and cells["MESA"] == "13"


def test_novedad_table_has_its_four_headers():
    novedad = Novedad(novedad="CANCELADA POR MUERTE", resolucion="4521", fecha="15/03/2019")
    table = BeautifulSoup(results.novedad_html("17100200", novedad), "html.parser").select_one(
        "table#consulta"
    )
    cells = {td["data-th"]: td.get_text() for td in table.select("td[data-th]")}

    assert [th.get_text() for th in table.select("th")] == [
        "NUIP",
        "NOVEDAD",
        "RESOLUCIÓN",
        "FECHA NOVEDAD",
    ]
    assert cells == {
        "NUIP": "17100200",
        "NOVEDAD": "CANCELADA POR MUERTE",
        "RESOLUCIÓN": "4521",
        "FECHA NOVEDAD": "15/03/2019",
    }


def test_not_found_message_names_the_document():
    assert results.not_found_message("1000000001") == (
        "El documento de identidad número 1000000001 no se encuentra en el censo "
        "para esta elección."
    )


def test_firewall_page_speaks_of_a_security_event():
    assert "se presentó un evento de seguridad" in results.firewall_page("123")
