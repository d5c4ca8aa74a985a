"""The `wsp` lookup in real Chromium against the simulator: each failure of the site, classified."""

from __future__ import annotations

import httpx

from schemas.census import CensusStatus
from services.census_worker.lookup.browser.manager import BrowserManager
from tests.integration.census_worker.support import StartSimulator, lookup_settings, wsp_source

FOUND, ALWAYS_RELOAD, CAPTCHA_REFUSED = "1102812122", "99000003", "99000006"


async def test_firewall_page_is_blocked(
    start_simulator: StartSimulator, shared_browser: BrowserManager, http: httpx.AsyncClient
) -> None:
    base = start_simulator(firewall_rate=1.0, firewall_status=500)

    result = await wsp_source(base, shared_browser, http).lookup(FOUND)

    assert result.status is CensusStatus.BLOCKED
    assert result.raw_response and "evento de seguridad" in result.raw_response


async def test_firewall_on_the_page_itself_is_blocked(
    start_simulator: StartSimulator, shared_browser: BrowserManager, http: httpx.AsyncClient
) -> None:
    base = start_simulator(firewall_rate=1.0, firewall_on_get=True)

    result = await wsp_source(base, shared_browser, http).lookup(FOUND)

    assert result.status is CensusStatus.BLOCKED


async def test_upstream_timeout_message_is_timeout(
    start_simulator: StartSimulator, shared_browser: BrowserManager, http: httpx.AsyncClient
) -> None:
    base = start_simulator(upstream_timeout_rate=1.0)

    result = await wsp_source(base, shared_browser, http).lookup(FOUND)

    assert result.status is CensusStatus.TIMEOUT
    assert "Curl error" in (result.raw_response or "")


async def test_hanging_site_is_timeout_within_the_page_timeout(
    start_simulator: StartSimulator, http: httpx.AsyncClient
) -> None:
    base = start_simulator(hang_rate=1.0, hang_s=5.0)
    browser = BrowserManager(lookup_settings(base, page_timeout_s=1.5))
    try:
        result = await wsp_source(base, browser, http).lookup(FOUND)
    finally:
        await browser.stop()

    assert result.status is CensusStatus.TIMEOUT
    assert "in time" in (result.reason or "")


async def test_site_that_always_asks_to_reload_ends_in_error_after_bounded_retries(
    simulator_url: str, shared_browser: BrowserManager, http: httpx.AsyncClient
) -> None:
    source = wsp_source(simulator_url, shared_browser, http, max_reloads=1)

    result = await source.lookup(ALWAYS_RELOAD)

    assert result.status is CensusStatus.ERROR
    assert "reload 2 times" in (result.reason or "")


async def test_a_page_that_keeps_failing_is_an_error(
    start_simulator: StartSimulator, shared_browser: BrowserManager, http: httpx.AsyncClient
) -> None:
    base = start_simulator(get_error_rate=1.0)

    result = await wsp_source(base, shared_browser, http).lookup(FOUND)

    assert result.status is CensusStatus.ERROR
    assert "HTTP 500" in (result.reason or "")


async def test_unsolvable_captcha_is_blocked(
    start_simulator: StartSimulator, shared_browser: BrowserManager, http: httpx.AsyncClient
) -> None:
    base = start_simulator(captcha_error_rate=1.0)

    result = await wsp_source(base, shared_browser, http).lookup(FOUND)

    assert result.status is CensusStatus.BLOCKED
    assert "ERROR_CAPTCHA_UNSOLVABLE" in (result.reason or "")


async def test_captcha_refused_by_the_site_is_blocked(
    simulator_url: str, shared_browser: BrowserManager, http: httpx.AsyncClient
) -> None:
    result = await wsp_source(simulator_url, shared_browser, http).lookup(CAPTCHA_REFUSED)

    assert result.status is CensusStatus.BLOCKED
    assert "captcha" in (result.reason or "")


async def test_wrong_captcha_key_is_an_error_naming_the_setting(
    simulator_url: str, shared_browser: BrowserManager, http: httpx.AsyncClient
) -> None:
    source = wsp_source(simulator_url, shared_browser, http, key="unknown-key")

    result = await source.lookup(FOUND)

    assert result.status is CensusStatus.ERROR
    assert "CENSUS_CAPTCHA_API_KEY" in (result.reason or "")


async def test_invalid_cedula_is_an_error_without_touching_the_site(
    simulator_url: str, http: httpx.AsyncClient
) -> None:
    browser = BrowserManager(lookup_settings(simulator_url))

    result = await wsp_source(simulator_url, browser, http).lookup("0123")

    assert result.status is CensusStatus.ERROR and browser.launches == 0
    await browser.stop()


async def test_missing_chromium_is_an_error_naming_the_path(
    simulator_url: str, http: httpx.AsyncClient
) -> None:
    browser = BrowserManager(lookup_settings(simulator_url, chromium_path="/nonexistent/chromium"))
    try:
        result = await wsp_source(simulator_url, browser, http).lookup(FOUND)
    finally:
        await browser.stop()

    assert result.status is CensusStatus.ERROR
    assert "/nonexistent/chromium" in (result.reason or "")
