"""The JSON bodies of the simulated consultacenso API, shaped as the contract records them."""

from __future__ import annotations

from infra.registraduria_sim.consultacenso import bodies
from infra.registraduria_sim.consultacenso.request import ConsultaRequest
from infra.registraduria_sim.outcome import Novedad, VotingPlace

SINCELEJO = VotingPlace(
    departamento="SUCRE",
    municipio="SINCELEJO",
    puesto="IE SAN JOSE C I P",
    direccion="CL 22 No. 10A-380",
    mesa="13",
)


def test_found_body_carries_the_six_data_keys_and_a_map():
    body = bodies.found("1102812122", SINCELEJO)

    assert (body["ok"], body["encontrado"]) == (True, True)
    assert body["data"] == {
        "nuip": "1102812122",
        "nom_depto": "SUCRE",
        "nom_mun": "SINCELEJO",
        "nom_puesto": "IE SAN JOSE C I P",
        "direccion": "CL 22 No. 10A-380",
        "mesa": "13",
    }
    assert set(body["mapa"]) == {"lat", "lng", "url"}  # type: ignore[arg-type]
    assert body["mapa"] == bodies.found("1102812122", SINCELEJO)["mapa"]


def test_map_stays_inside_colombia():
    mapa = bodies.found("1", SINCELEJO)["mapa"]

    assert -5 < mapa["lat"] < 13 and -80 < mapa["lng"] < -66  # type: ignore[index]


def test_not_found_is_ok_and_not_encontrado_with_a_message():
    body = bodies.not_found()

    assert (body["ok"], body["encontrado"]) == (True, False)
    assert "no se encuentra en el censo" in str(body["mensaje"])


def test_novedad_keeps_its_text_resolucion_and_date():
    body = bodies.novedad(
        Novedad(novedad="CANCELADA POR MUERTE", resolucion="4521", fecha="15/03/2019")
    )

    assert (body["ok"], body["encontrado"], body["novedad"]) == (True, False, True)
    assert body["mensaje"] == "CANCELADA POR MUERTE"
    assert body["descripcion"] == "Resolución 4521 del 15/03/2019"


def test_failure_is_not_ok_with_its_error():
    assert bodies.failure("boom") == {"ok": False, "encontrado": False, "error": "boom"}


def test_upper_keys_reaches_every_depth_and_leaves_values_alone():
    body = {"ok": True, "data": {"nom_mun": "cali"}, "list": [{"id": 0}]}

    assert bodies.upper_keys(body) == {
        "OK": True,
        "DATA": {"NOM_MUN": "cali"},
        "LIST": [{"ID": 0}],
    }


def test_request_accepts_the_documento_as_text_or_number():
    as_text = ConsultaRequest.from_json(
        {"documento": " 1102812122 ", "eleccionId": 0, "captchaToken": "t"}
    )
    as_number = ConsultaRequest.from_json(
        {"documento": 1102812122, "eleccionId": "0", "captchaToken": "t"}
    )

    assert as_text == as_number
    assert as_text is not None and as_text.documento_is_valid and as_text.eleccion_is_valid


def test_request_that_is_not_an_object_is_none_and_odd_fields_are_invalid():
    odd = ConsultaRequest.from_json({"documento": True, "eleccionId": None, "captchaToken": {}})

    assert ConsultaRequest.from_json([1, 2]) is None
    assert odd == ConsultaRequest("", "", "")
    assert not odd.documento_is_valid and not odd.eleccion_is_valid
