"""playwright-stealth behind the context-preparer seam: what a page sees with stealth on and off."""

from __future__ import annotations

import pytest

from schemas.census import CensusStatus
from services.census_worker.lookup.browser.manager import BrowserManager
from services.census_worker.lookup.factory import open_census_source
from tests.integration.census_worker.support import lookup_settings

PROBE = """() => ({
  webdriver: navigator.webdriver,
  languages: navigator.languages,
  platform: navigator.platform,
  userAgent: navigator.userAgent,
})"""


async def probe(simulator_url: str, stealth: bool) -> dict:
    browser = BrowserManager(lookup_settings(simulator_url, stealth=stealth))
    try:
        async with browser.page() as page:
            await page.goto(f"{simulator_url}/consultacenso/")
            return await page.evaluate(PROBE)
    finally:
        await browser.stop()


@pytest.fixture(scope="module")
async def seen(simulator_url: str) -> dict[bool, dict]:
    return {on: await probe(simulator_url, on) for on in (False, True)}


def test_stealth_hides_webdriver(seen: dict[bool, dict]) -> None:
    assert seen[False]["webdriver"] is True
    assert not seen[True]["webdriver"]


def test_stealth_library_reports_the_full_language_list(seen: dict[bool, dict]) -> None:
    assert seen[False]["languages"] == ["es-CO"]  # what Playwright's locale alone gives
    assert seen[True]["languages"] == ["es-CO", "es", "en"]  # patched by playwright-stealth


def test_platform_and_user_agent_agree_with_stealth_on(seen: dict[bool, dict]) -> None:
    assert seen[True]["platform"] == "Linux x86_64"
    assert "X11; Linux x86_64" in seen[True]["userAgent"]
    assert "HeadlessChrome" not in seen[True]["userAgent"]


async def test_lookup_succeeds_with_stealth_on(simulator_url: str) -> None:
    settings = lookup_settings(simulator_url, stealth=True, source="consultacenso")

    async with open_census_source(settings) as source:
        result = await source.lookup("1102812122")

    assert result.status is CensusStatus.ACTIVE, result.reason
