"""consultacenso's wait for its election list, in real Chromium: it ends as soon as the page's
script adds the current-place option, and an option that never comes still fails within the
page's timeout (Playwright's own wait takes over after the quick one)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from services.census_worker.lookup.consultacenso.page import CURRENT_PLACE, wait_until_ready
from tests.support.chromium import launched_chromium

_FORM = """<!DOCTYPE html><html><body><select id="eleccion"></select><script>
  setTimeout(() => {
    const option = document.createElement("option");
    option.value = "%s";
    document.getElementById("eleccion").appendChild(option);
  }, 300);
</script></body></html>"""


@pytest.fixture
async def page() -> AsyncIterator[Page]:
    async with launched_chromium() as browser:
        context = await browser.new_context()
        context.set_default_timeout(1_000)
        yield await context.new_page()


async def test_the_wait_ends_when_the_current_place_option_arrives(page: Page) -> None:
    await page.set_content(_FORM % CURRENT_PLACE)

    await wait_until_ready(page)

    assert await page.locator("#eleccion option").count() == 1


async def test_an_option_that_never_comes_times_out(page: Page) -> None:
    await page.set_content(_FORM % "otra")

    with pytest.raises(PlaywrightTimeoutError):
        await wait_until_ready(page, quick_wait_ms=100)
