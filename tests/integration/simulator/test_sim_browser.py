"""The page's own script in a real Chromium: captcha check, AJAX POST and the result in #success."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import AsyncIterator

import httpx
import pytest
import uvicorn
from playwright.async_api import Browser, Page, async_playwright

from infra.registraduria_sim.app import create_app
from infra.registraduria_sim.form import PAGE_PATH, SITEKEY
from infra.registraduria_sim.settings import SimulatorSettings

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
async def base_url() -> AsyncIterator[str]:
    """Serve a fresh simulator with uvicorn on a free port for this module's tests."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(SimulatorSettings(seed=3)), log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            await asyncio.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()


async def solve_captcha(base_url: str) -> str:
    task = {"key": "test-key", "method": "userrecaptcha", "googlekey": SITEKEY, "json": "1"}
    async with httpx.AsyncClient(base_url=base_url) as api:
        created = await api.post("/in.php", data={**task, "pageurl": base_url + PAGE_PATH})
        query = {"key": "test-key", "action": "get", "id": created.json()["request"], "json": "1"}
        return (await api.get("/res.php", params=query)).json()["request"]


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=CHROMIUM_ARGS,
        )
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture
async def page(browser, base_url) -> AsyncIterator[Page]:
    context = await browser.new_context()
    try:
        opened = await context.new_page()
        await opened.goto(base_url + PAGE_PATH)
        yield opened
    finally:
        await context.close()


async def put_captcha_token(page: Page, token: str) -> None:
    """What scrapers do with a bought token: set the hidden textarea's value and innerHTML."""
    await page.eval_on_selector(
        "#g-recaptcha-response", "(el, token) => { el.value = token; el.innerHTML = token; }", token
    )


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
