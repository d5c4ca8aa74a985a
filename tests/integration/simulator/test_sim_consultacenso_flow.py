"""The `consultacenso` contract over HTTP: page, elections, captcha checks and census answers."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from infra.registraduria_sim import outcome_for
from infra.registraduria_sim.consultacenso import SITEKEY
from infra.registraduria_sim.form import SITEKEY as WSP_SITEKEY
from tests.integration.simulator.conftest import CONSULTACENSO_API

PAGE = "/consultacenso/"
CAPTCHA_ERROR = {"ok": False, "encontrado": False, "error": "Token de captcha inválido o expirado."}


async def test_page_has_the_form_the_captcha_and_an_empty_election_list(client):
    page = BeautifulSoup((await client.get(PAGE)).text, "html.parser")

    assert page.select_one("form#consultaForm input#documento[maxlength='10']")
    assert page.select_one("form#consultaForm select#eleccion")
    assert not page.select("select#eleccion option")  # filled by the page's script
    widget = f"div.g-recaptcha[data-sitekey='{SITEKEY}'] textarea#g-recaptcha-response"
    assert page.select_one(widget)
    assert page.select_one("button#submitBtn[type=submit]")
    assert page.body["data-api"] == CONSULTACENSO_API


async def test_page_loads_nothing_from_outside(client):
    page = BeautifulSoup((await client.get(PAGE)).text, "html.parser")

    assert not page.select("script[src], link[href], img[src], iframe")


async def test_elecciones_lists_the_current_polling_place_with_id_0(client):
    response = await client.get(f"{CONSULTACENSO_API}/elecciones")

    assert response.json() == {
        "ok": True,
        "data": [{"id": 0, "nombre": "LUGAR DE VOTACION ACTUAL", "mensaje": ""}],
    }


async def test_found_cedula_gets_its_voting_place(client, consulta_censo):
    body = (await consulta_censo(client, "1102812122")).json()

    assert (body["ok"], body["encontrado"]) == (True, True)
    assert body["data"]["nom_mun"] == "SINCELEJO" and body["data"]["mesa"] == "13"


async def test_not_in_census_is_ok_and_not_encontrado(client, consulta_censo):
    body = (await consulta_censo(client, "1000000001")).json()

    assert (body["ok"], body["encontrado"]) == (True, False) and "novedad" not in body


async def test_novedad_of_death_comes_with_mensaje_and_descripcion(client, consulta_censo):
    body = (await consulta_censo(client, "17100200")).json()
    expected = outcome_for("17100200").novedad

    assert (body["ok"], body["encontrado"], body["novedad"]) == (True, False, True)
    assert expected is not None and body["mensaje"] == expected.novedad
    assert expected.resolucion in body["descripcion"] and expected.fecha in body["descripcion"]


async def test_upper_case_keys_setting_upper_cases_every_key(simulator, consulta_censo):
    async with simulator(consultacenso_upper_keys=True) as client:
        body = (await consulta_censo(client, "1102812122")).json()

    assert (body["OK"], body["ENCONTRADO"]) == (True, True)
    assert body["DATA"]["NOM_DEPTO"] == "SUCRE" and set(body["MAPA"]) == {"LAT", "LNG", "URL"}


async def test_prefix_setting_moves_page_and_api(simulator, solve_captcha):
    async with simulator(consultacenso_prefix="") as client:
        page = await client.get("/")
        token = await solve_captcha(client, sitekey=SITEKEY)
        body = {"documento": "1102812122", "eleccionId": 0, "captchaToken": token}
        answer = await client.post("/back/api/consulta", json=body)

    assert 'data-api="/back/api"' in page.text
    assert answer.json()["encontrado"] is True


async def test_missing_captcha_token_is_refused(client):
    body = {"documento": "1102812122", "eleccionId": 0, "captchaToken": ""}
    response = await client.post(f"{CONSULTACENSO_API}/consulta", json=body)

    assert response.status_code == 200 and response.json() == CAPTCHA_ERROR


async def test_captcha_token_serves_one_consulta(client, solve_captcha):
    token = await solve_captcha(client, sitekey=SITEKEY)
    body = {"documento": "1102812122", "eleccionId": 0, "captchaToken": token}
    first = await client.post(f"{CONSULTACENSO_API}/consulta", json=body)
    second = await client.post(f"{CONSULTACENSO_API}/consulta", json=body)

    assert first.json()["ok"] is True and second.json() == CAPTCHA_ERROR


async def test_token_solved_for_the_wsp_sitekey_is_refused(client, solve_captcha):
    token = await solve_captcha(client, sitekey=WSP_SITEKEY)
    body = {"documento": "1102812122", "eleccionId": 0, "captchaToken": token}

    assert (await client.post(f"{CONSULTACENSO_API}/consulta", json=body)).json() == CAPTCHA_ERROR


@pytest.mark.parametrize("documento", ["", "01234", "12a45", "12345678901"])
async def test_invalid_documento_is_an_error(client, consulta_censo, documento):
    body = (await consulta_censo(client, documento)).json()

    assert body["ok"] is False and "documento" in body["error"]


async def test_unknown_election_is_an_error(client, consulta_censo):
    body = (await consulta_censo(client, "1102812122", eleccion_id=7)).json()

    assert body["ok"] is False and body["error"]


@pytest.mark.parametrize("payload", [b"{not json", b"[1, 2]", b"[" * 100_000])
async def test_body_that_is_not_a_json_object_is_a_400(client, payload):
    response = await client.post(f"{CONSULTACENSO_API}/consulta", content=payload)

    assert response.status_code == 400 and response.json()["ok"] is False
