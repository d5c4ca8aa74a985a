"""The consultacenso page's own script in a real Chromium: elections, captcha check, JSON POST."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Page

from infra.registraduria_sim.consultacenso import SITEKEY
from tests.integration.simulator.conftest import put_captcha_token, solve_over_http

PAGE = "/consultacenso/"


@pytest.fixture
async def page(browser, base_url) -> AsyncIterator[Page]:
    context = await browser.new_context()
    try:
        opened = await context.new_page()
        await opened.goto(base_url + PAGE)
        yield opened
    finally:
        await context.close()


async def test_page_script_fills_the_election_list_from_the_api(page):
    option = page.locator("#eleccion option[value='0']")

    await option.wait_for(state="attached")
    assert await option.inner_text() == "LUGAR DE VOTACION ACTUAL"


async def test_submit_without_captcha_asks_to_tick_the_box(page):
    await page.fill("#documento", "1102812122")
    await page.click("#submitBtn")

    await page.wait_for_selector("#resultado .alert-danger")
    assert "No soy un robot" in await page.inner_text("#resultado")


async def test_consulta_posts_json_and_shows_the_voting_place(page, base_url):
    await page.locator("#eleccion option[value='0']").wait_for(state="attached")
    await page.fill("#documento", "1102812122")
    await put_captcha_token(page, await solve_over_http(base_url, SITEKEY, PAGE))

    async with page.expect_request("**/back/api/consulta") as sent:
        await page.click("#submitBtn")
    request = await sent.value

    assert request.post_data_json["documento"] == "1102812122"
    assert request.post_data_json["eleccionId"] == 0
    await page.wait_for_selector("#resultado table#resultadoTabla")
    assert "SINCELEJO" in await page.inner_text("#resultado")
    assert await page.input_value("#g-recaptcha-response") == ""  # a token serves one submission


async def test_novedad_is_shown_with_its_description(page, base_url):
    await page.locator("#eleccion option[value='0']").wait_for(state="attached")
    await page.fill("#documento", "17100200")
    await put_captcha_token(page, await solve_over_http(base_url, SITEKEY, PAGE))
    await page.click("#submitBtn")

    await page.wait_for_selector("#resultado .alert-warning")
    assert "CANCELADA POR MUERTE" in await page.inner_text("#resultado")
