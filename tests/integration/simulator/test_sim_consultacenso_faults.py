"""Each consultacenso fault, forced by a setting at rate 1.0 or by a listed cédula."""

from __future__ import annotations

import time

import pytest

FIREWALL_TEXT = "se presentó un evento de seguridad"
TIMEOUT_ERROR = "Tiempo de espera agotado consultando el censo. Intente nuevamente."
CAPTCHA_ERROR = "Token de captcha inválido o expirado."


async def test_firewall_rate_answers_the_api_with_the_html_block_page(simulator, consulta_censo):
    async with simulator(firewall_rate=1.0, firewall_status=500) as client:
        page = await client.get("/consultacenso/")
        response = await consulta_censo(client, "1102812122")

    assert page.status_code == 200
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert FIREWALL_TEXT in response.text


async def test_firewall_on_get_blocks_the_page_too(simulator):
    async with simulator(firewall_rate=1.0, firewall_on_get=True) as client:
        assert FIREWALL_TEXT in (await client.get("/consultacenso/")).text


async def test_get_error_rate_answers_the_page_with_http_500(simulator):
    async with simulator(get_error_rate=1.0) as client:
        response = await client.get("/consultacenso/")

    assert response.status_code == 500 and "consultaForm" not in response.text


async def test_upstream_timeout_is_not_ok_with_the_configured_error(simulator, consulta_censo):
    async with simulator(upstream_timeout_rate=1.0) as client:
        response = await consulta_censo(client, "1102812122")

    assert response.status_code == 200
    assert response.json() == {"ok": False, "encontrado": False, "error": TIMEOUT_ERROR}


async def test_error_wordings_are_settings(simulator, consulta_censo):
    settings = {"upstream_timeout_rate": 1.0, "consultacenso_timeout_error": "Timeout"}
    async with simulator(**settings) as client:
        assert (await consulta_censo(client, "1102812122")).json()["error"] == "Timeout"


async def test_hang_rate_holds_the_consulta_then_answers_504(simulator, consulta_censo):
    async with simulator(hang_rate=1.0, hang_s=0.3) as client:
        started = time.monotonic()
        response = await consulta_censo(client, "1102812122")

    assert time.monotonic() - started >= 0.3 and response.status_code == 504


async def test_latency_delays_the_api(simulator):
    async with simulator(latency_ms=150) as client:
        started = time.monotonic()
        await client.get("/consultacenso/back/api/elecciones")

    assert time.monotonic() - started >= 0.15


@pytest.mark.parametrize(
    ("documento", "error"),
    [("99000002", TIMEOUT_ERROR), ("99000003", CAPTCHA_ERROR), ("99000006", CAPTCHA_ERROR)],
)
async def test_listed_failure_cedulas_get_their_error(client, consulta_censo, documento, error):
    assert (await consulta_censo(client, documento)).json() == {
        "ok": False,
        "encontrado": False,
        "error": error,
    }


async def test_listed_firewall_and_get_error_cedulas_get_html(client, consulta_censo):
    firewall = await consulta_censo(client, "99000001")
    server_error = await consulta_censo(client, "99000005")

    assert FIREWALL_TEXT in firewall.text
    assert server_error.status_code == 500 and "Internal Server Error" in server_error.text
