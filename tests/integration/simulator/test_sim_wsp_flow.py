"""The `wsp` contract over HTTP: page, cookies, nonce, captcha checks and census answers."""

from __future__ import annotations

import asyncio
import re

import pytest
from bs4 import BeautifulSoup

from infra.registraduria_sim.form import PAGE_PATH, SITEKEY

CAPTCHA_MESSAGE = "Marque el cuadro de verificación o captcha!"
RELOAD = {"success": False, "reload": True}


async def test_get_sets_both_cookies_and_renders_the_form(client):
    response = await client.get(PAGE_PATH)
    page = BeautifulSoup(response.text, "html.parser")

    assert response.status_code == 200
    assert {"PHPSESSID", "cookiesession1"} <= set(response.cookies)
    assert page.select_one("input#nuip[name=nuip][maxlength='10']")
    assert (
        page.select_one("select#tipo[name=tipo] option[value='-1']")
        .get_text()
        .startswith("LUGAR DE VOTACIÓN ACTUAL")
    )
    assert len(page.select("select#tipo option")) >= 3
    assert page.select_one(
        f"div.g-recaptcha[data-sitekey='{SITEKEY}'] textarea#g-recaptcha-response"
    )
    assert page.select_one("input#enviar[type=submit][value=CONSULTAR]")
    assert page.select_one("div#success")
    assert "INFORMACIÓN DEL LUGAR DE VOTACIÓN" in page.get_text()


async def test_page_loads_nothing_from_outside(client):
    page = BeautifulSoup((await client.get(PAGE_PATH)).text, "html.parser")

    assert not page.select("script[src], link[href], img[src], iframe")


async def test_every_get_hands_out_a_fresh_32_hex_nonce(client, open_page):
    first, second = await open_page(client), await open_page(client)

    assert re.fullmatch(r"[0-9a-f]{32}", first) and re.fullmatch(r"[0-9a-f]{32}", second)
    assert first != second


async def test_same_session_keeps_its_cookies(client):
    await client.get(PAGE_PATH)
    again = await client.get(PAGE_PATH)

    assert "PHPSESSID" not in again.cookies


async def test_post_without_captcha_gets_the_captcha_message(client, open_page, post_form):
    nonce = await open_page(client)
    fields = {"nuip": "1102812122", "tipo": "-1", "token": nonce, "g-recaptcha-response": ""}
    response = await post_form(client, fields)

    assert response.status_code == 200
    assert response.json() == {"success": False, "data": {"message": CAPTCHA_MESSAGE}}


async def test_solved_captcha_gets_the_voting_place(client, consultar):
    response = await consultar(client, "1102812122")
    body = response.json()

    assert response.status_code == 200 and body["success"] is True
    table = BeautifulSoup(body["data"]["message"], "html.parser").select_one("table#consulta")
    cells = {td["data-th"]: td.get_text() for td in table.select("td[data-th]")}
    assert cells["MUNICIPIO"] == "SINCELEJO" and cells["MESA"] == "13"


async def test_urlencoded_post_is_accepted(client, open_page, solve_captcha):
    nonce, token = await open_page(client), await solve_captcha(client)
    fields = {"nuip": "43512345", "tipo": "-1", "token": nonce, "g-recaptcha-response": token}
    response = await client.post(
        PAGE_PATH, data=fields, headers={"X-Requested-With": "XMLHttpRequest"}
    )

    assert response.json()["success"] is True
    assert "MEDELLIN" in response.json()["data"]["message"]


async def test_captcha_token_cannot_be_used_twice(client, open_page, solve_captcha, post_form):
    token = await solve_captcha(client)
    fields = {"nuip": "1102812122", "tipo": "-1", "g-recaptcha-response": token}
    first = await post_form(client, {**fields, "token": await open_page(client)})
    second = await post_form(client, {**fields, "token": await open_page(client)})

    assert first.json()["success"] is True
    assert second.json() == {"success": False, "data": {"message": CAPTCHA_MESSAGE}}


async def test_token_solved_for_another_sitekey_is_refused(
    client, open_page, solve_captcha, post_form
):
    token = await solve_captcha(client, sitekey="6LeLRw0tAAAAAOfUZZ34vi2KKHjukhLhQ5lfzuLM")
    fields = {"nuip": "1102812122", "tipo": "-1", "g-recaptcha-response": token}
    response = await post_form(client, {**fields, "token": await open_page(client)})

    assert response.json()["data"]["message"] == CAPTCHA_MESSAGE


async def test_expired_captcha_token_is_refused(simulator, open_page, solve_captcha, post_form):
    async with simulator(captcha_token_ttl_s=0.05) as client:
        token = await solve_captcha(client)
        nonce = await open_page(client)
        await asyncio.sleep(0.1)
        fields = {"nuip": "1102812122", "tipo": "-1", "token": nonce, "g-recaptcha-response": token}
        response = await post_form(client, fields)

    assert response.json()["data"]["message"] == CAPTCHA_MESSAGE


async def test_older_nonce_of_the_session_gets_reload(client, open_page, solve_captcha, post_form):
    stale = await open_page(client)
    await open_page(client)
    token = await solve_captcha(client)
    fields = {"nuip": "1102812122", "tipo": "-1", "token": stale, "g-recaptcha-response": token}

    assert (await post_form(client, fields)).json() == RELOAD


async def test_nonce_serves_one_consulta(client, open_page, solve_captcha, post_form):
    nonce = await open_page(client)
    fields = {"nuip": "1102812122", "tipo": "-1", "token": nonce}
    first = await post_form(client, {**fields, "g-recaptcha-response": await solve_captcha(client)})
    second = await post_form(
        client, {**fields, "g-recaptcha-response": await solve_captcha(client)}
    )

    assert first.json()["success"] is True
    assert second.json() == RELOAD


async def test_post_without_session_cookie_gets_reload(client, open_page, solve_captcha, post_form):
    nonce, token = await open_page(client), await solve_captcha(client)
    client.cookies.clear()
    fields = {"nuip": "1102812122", "tipo": "-1", "token": nonce, "g-recaptcha-response": token}

    assert (await post_form(client, fields)).json() == RELOAD


async def test_reload_keeps_the_captcha_token_usable(client, open_page, solve_captcha, post_form):
    token = await solve_captcha(client)
    fields = {"nuip": "1102812122", "tipo": "-1", "g-recaptcha-response": token}
    refused = await post_form(client, {**fields, "token": "0" * 32})
    accepted = await post_form(client, {**fields, "token": await open_page(client)})

    assert refused.json() == RELOAD
    assert accepted.json()["success"] is True


async def test_novedad_comes_as_a_table(client, consultar):
    body = (await consultar(client, "1098765432")).json()
    table = BeautifulSoup(body["data"]["message"], "html.parser").select_one("table#consulta")

    assert body["success"] is True
    assert [th.get_text() for th in table.select("th")][1:] == [
        "NOVEDAD",
        "RESOLUCIÓN",
        "FECHA NOVEDAD",
    ]
    assert "CANCELADA POR DOBLE CEDULACIÓN" in table.get_text()


@pytest.mark.parametrize("as_success", [True, False])
async def test_not_found_comes_with_the_configured_success_flag(simulator, consultar, as_success):
    async with simulator(not_found_as_success=as_success) as client:
        body = (await consultar(client, "1000000001")).json()

    assert body["success"] is as_success
    assert body["data"]["message"] == (
        "El documento de identidad número 1000000001 no se encuentra en el censo "
        "para esta elección."
    )


@pytest.mark.parametrize("nuip", ["", "01234", "12a45", "12345678901"])
async def test_invalid_document_number_gets_a_message(client, consultar, nuip):
    body = (await consultar(client, nuip)).json()

    assert body["success"] is False and "documento" in body["data"]["message"]


async def test_unknown_tipo_gets_a_message(client, consultar):
    body = (await consultar(client, "1102812122", tipo="99")).json()

    assert body["success"] is False and body["data"]["message"]
