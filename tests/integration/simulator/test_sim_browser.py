"""The page's own script in a real Chromium: captcha check, AJAX POST and the result in #success."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Page

from infra.registraduria_sim.form import PAGE_PATH
from tests.integration.simulator.conftest import put_captcha_token
from tests.integration.simulator.conftest import solve_over_http as solve_captcha


@pytest.fixture
async def page(browser, base_url) -> AsyncIterator[Page]:
    context = await browser.new_context()
    try:
        opened = await context.new_page()
        await opened.goto(base_url + PAGE_PATH)
        yield opened
    finally:
        await context.close()


async def test_submit_without_captcha_asks_to_tick_the_box(page):
    await page.fill("#nuip", "1102812122")
    await page.click("#enviar")

    await page.wait_for_selector("#success .alert-danger")
    assert await page.inner_text("#success") == (
        "Marque el cuadro de verificación (Captcha: No soy un robot)"
    )


async def test_consulta_with_solved_captcha_shows_the_voting_place(page, base_url):
    await page.fill("#nuip", "1102812122")
    await page.click("#enviar")
    await page.wait_for_selector("#success .alert-danger")

    await put_captcha_token(page, await solve_captcha(base_url))
    await page.select_option("#tipo", "-1")
    await page.click("#enviar")

    await page.wait_for_selector("#success table#consulta")
    assert "SINCELEJO" in await page.inner_text("#success")
    assert await page.input_value("#g-recaptcha-response") == ""  # a token serves one submission


async def test_reload_answer_reloads_the_page_with_a_new_nonce(page, base_url):
    await page.eval_on_selector("#token", "el => { el.value = '0'.repeat(32); }")
    await put_captcha_token(page, await solve_captcha(base_url))
    await page.fill("#nuip", "1102812122")

    async with page.expect_navigation():
        await page.click("#enviar")
    assert len(await page.input_value("#token")) == 32
    assert await page.input_value("#token") != "0" * 32
