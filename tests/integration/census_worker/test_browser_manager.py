"""The browser manager with real Chromium: concurrency, crashes, recycling, shutdown, stealth."""

from __future__ import annotations

import asyncio
import os
import signal

import httpx
import pytest
from playwright.async_api import BrowserContext

from schemas.census import CensusStatus
from services.census_worker.lookup.browser.manager import BrowserManager
from services.census_worker.lookup.factory import open_census_source
from tests.integration.census_worker.processes import browser_main_processes, chromium_processes
from tests.integration.census_worker.support import lookup_settings, until, wsp_source

FOUND = "1102812122"


class ContextGauge:
    """A context preparer counting the contexts open at once."""

    def __init__(self) -> None:
        self.open = self.peak = 0

    async def __call__(self, context: BrowserContext) -> None:
        self.open += 1
        self.peak = max(self.peak, self.open)
        context.on("close", lambda _: self._closed())

    def _closed(self) -> None:
        self.open -= 1


async def test_eight_concurrent_lookups_share_one_browser_four_at_a_time(
    simulator_url: str, http: httpx.AsyncClient
) -> None:
    gauge = ContextGauge()
    browser = BrowserManager(
        lookup_settings(simulator_url, max_concurrent_lookups=4), preparers=[gauge]
    )
    source = wsp_source(simulator_url, browser, http)
    try:
        results = await asyncio.gather(*(source.lookup(FOUND) for _ in range(8)))
    finally:
        await browser.stop()

    assert [r.status for r in results] == [CensusStatus.ACTIVE] * 8, [r.reason for r in results]
    assert browser.launches == 1
    assert gauge.peak == 4 and gauge.open == 0


async def test_browser_killed_from_outside_is_relaunched_for_the_next_lookup(
    simulator_url: str, http: httpx.AsyncClient
) -> None:
    before = chromium_processes()
    browser = BrowserManager(lookup_settings(simulator_url))
    source = wsp_source(simulator_url, browser, http)
    try:
        assert (await source.lookup(FOUND)).status is CensusStatus.ACTIVE
        (main,) = browser_main_processes(chromium_processes() - before)
        os.kill(main, signal.SIGKILL)

        result = await source.lookup(FOUND)

        assert result.status is CensusStatus.ACTIVE, result.reason
        assert browser.launches == 2
    finally:
        await browser.stop()


async def test_browser_is_recycled_after_the_configured_number_of_lookups(
    simulator_url: str,
) -> None:
    browser = BrowserManager(lookup_settings(simulator_url, recycle_after_lookups=2))
    try:
        for _ in range(3):
            async with browser.page() as page:
                await page.goto(f"{simulator_url}/censo/consultar/")
    finally:
        await browser.stop()

    assert browser.launches == 2


async def test_stop_leaves_no_chromium_process_behind(
    simulator_url: str, http: httpx.AsyncClient
) -> None:
    before = chromium_processes()
    browser = BrowserManager(lookup_settings(simulator_url))
    async with browser.page() as page:
        await page.goto(f"{simulator_url}/censo/consultar/")
    ours = chromium_processes() - before
    assert ours, "opening a page should have started Chromium"

    await browser.stop()

    await until(lambda: not (chromium_processes() & ours))
    after_stop = await wsp_source(simulator_url, browser, http).lookup(FOUND)
    assert after_stop.status is CensusStatus.ERROR


@pytest.mark.parametrize(("stealth", "visible"), [(True, False), (False, True)])
async def test_stealth_hides_navigator_webdriver(
    simulator_url: str, stealth: bool, visible: bool
) -> None:
    browser = BrowserManager(lookup_settings(simulator_url, stealth=stealth))
    try:
        async with browser.page() as page:
            await page.goto(f"{simulator_url}/censo/consultar/")
            webdriver = await page.evaluate("navigator.webdriver")
            user_agent = await page.evaluate("navigator.userAgent")
            language = await page.evaluate("navigator.language")
    finally:
        await browser.stop()

    assert bool(webdriver) is visible
    assert "HeadlessChrome" not in user_agent and "Chrome/" in user_agent
    assert language == "es-CO"


async def test_census_source_built_from_settings_answers_and_closes(
    simulator_url: str,
) -> None:
    before = chromium_processes()
    settings = lookup_settings(simulator_url, captcha_pool_size=1)

    async with open_census_source(settings) as source:
        result = await source.lookup(FOUND)

    assert result.status is CensusStatus.ACTIVE, result.reason
    assert source.name == "wsp"
    await until(lambda: not (chromium_processes() - before))
