"""Each fault of the real site, forced by a setting at rate 1.0 or by a listed cédula."""

from __future__ import annotations

import time

import pytest

from infra.registraduria_sim.form import PAGE_PATH

FIREWALL_TEXT = "se presentó un evento de seguridad"
UPSTREAM_TIMEOUT = "Curl error: Operation timed out after 15008 milliseconds with 0 bytes received"
CAPTCHA_MESSAGE = "Marque el cuadro de verificación o captcha!"
RELOAD = {"success": False, "reload": True}


async def test_firewall_rate_answers_the_post_with_the_html_block_page(simulator, consultar):
    async with simulator(firewall_rate=1.0) as client:
        page = await client.get(PAGE_PATH)
        response = await consultar(client, "1102812122")

    assert page.status_code == 200 and FIREWALL_TEXT not in page.text
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert FIREWALL_TEXT in response.text


async def test_firewall_can_block_the_get_too_with_status_500(simulator):
    async with simulator(firewall_rate=1.0, firewall_on_get=True, firewall_status=500) as client:
        response = await client.get(PAGE_PATH)

    assert response.status_code == 500 and FIREWALL_TEXT in response.text


async def test_get_error_rate_answers_the_page_with_http_500(simulator):
    async with simulator(get_error_rate=1.0) as client:
        response = await client.get(PAGE_PATH)

    assert response.status_code == 500 and 'id="nuip"' not in response.text


async def test_reload_rate_answers_reload(simulator, consultar):
    async with simulator(reload_rate=1.0) as client:
        response = await consultar(client, "1102812122")

    assert response.json() == RELOAD


async def test_upstream_timeout_rate_answers_the_curl_message(simulator, consultar):
    async with simulator(upstream_timeout_rate=1.0) as client:
        response = await consultar(client, "1102812122")

    assert response.status_code == 200
    assert response.json() == {"success": False, "data": {"message": UPSTREAM_TIMEOUT}}


async def test_hang_rate_holds_the_post_then_answers_504(simulator, consultar):
    async with simulator(hang_rate=1.0, hang_s=0.3) as client:
        started = time.monotonic()
        response = await consultar(client, "1102812122")

    assert time.monotonic() - started >= 0.3
    assert response.status_code == 504


async def test_captcha_error_rate_makes_the_solver_give_up(simulator):
    async with simulator(captcha_error_rate=1.0) as client:
        task = {
            "key": "k",
            "method": "userrecaptcha",
            "googlekey": "x",
            "pageurl": "y",
            "json": "1",
        }
        task_id = (await client.post("/in.php", data=task)).json()["request"]
        query = {"key": "k", "action": "get", "id": task_id, "json": "1"}
        answer = (await client.get("/res.php", params=query)).json()

    assert answer == {"status": 0, "request": "ERROR_CAPTCHA_UNSOLVABLE"}


async def test_latency_delays_page_and_post(simulator, open_page):
    async with simulator(latency_ms=150) as client:
        started = time.monotonic()
        await open_page(client)

    assert time.monotonic() - started >= 0.15


async def test_listed_get_error_cedula_gets_http_500(simulator, consultar):
    async with simulator() as client:
        response = await consultar(client, "99000005")

    assert response.status_code == 500 and "Internal Server Error" in response.text


@pytest.mark.parametrize(
    ("nuip", "expected"),
    [
        ("99000002", {"success": False, "data": {"message": UPSTREAM_TIMEOUT}}),
        ("99000003", RELOAD),
        ("99000006", {"success": False, "data": {"message": CAPTCHA_MESSAGE}}),
    ],
)
async def test_listed_failure_cedulas_get_their_json_answer(client, consultar, nuip, expected):
    assert (await consultar(client, nuip)).json() == expected


async def test_listed_firewall_cedula_gets_the_block_page(client, consultar):
    assert FIREWALL_TEXT in (await consultar(client, "99000001")).text


async def test_listed_hang_cedula_hangs(simulator, consultar):
    async with simulator(hang_s=0.1) as client:
        assert (await consultar(client, "99000004")).status_code == 504
