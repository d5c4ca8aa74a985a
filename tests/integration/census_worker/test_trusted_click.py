"""The form's button is clicked as a person would, in real Chromium: a trusted mouse click at its
centre when nothing covers it, and Playwright's own click (which waits) when something does or
it is still disabled, so the submission is never lost."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Page

from services.census_worker.lookup.page_tools import click
from tests.support.chromium import launched_chromium

_FORM = """<!DOCTYPE html><html><body style="margin:0">
<div style="height:1500px">above the fold</div>
<button id="enviar" %(attrs)s style="width:120px;height:40px">CONSULTAR</button>
%(cover)s
<script>
  window.clicks = [];
  const button = document.getElementById("enviar");
  button.addEventListener("click", (e) => window.clicks.push(e.isTrusted));
  setTimeout(() => {
    button.disabled = false;
    const cover = document.getElementById("cover");
    if (cover) { cover.remove(); }
  }, 300);
</script></body></html>"""
_COVER = '<div id="cover" style="position:fixed;inset:0;background:#fff8"></div>'


@pytest.fixture
async def page() -> AsyncIterator[Page]:
    async with launched_chromium() as browser:
        context = await browser.new_context(viewport={"width": 800, "height": 600})
        context.set_default_timeout(5_000)
        yield await context.new_page()


async def test_an_uncovered_button_gets_one_trusted_click(page: Page) -> None:
    await page.set_content(_FORM % {"attrs": "", "cover": ""})

    await click(page, "#enviar")

    assert await page.evaluate("window.clicks") == [True]  # below the fold: scrolled to first


@pytest.mark.parametrize(
    "form",
    [{"attrs": "", "cover": _COVER}, {"attrs": "disabled", "cover": ""}],
    ids=["covered", "disabled"],
)
async def test_a_covered_or_disabled_button_is_clicked_once_it_can_be(
    page: Page, form: dict[str, str]
) -> None:
    await page.set_content(_FORM % form)

    await click(page, "#enviar")

    assert await page.evaluate("window.clicks") == [True]
