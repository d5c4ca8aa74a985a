"""The consultacenso page itself: its election list, its form, and the reply of its JSON API."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.async_api import Page

from services.census_worker.lookup.page_tools import ConsultaReply, click, fill_form

FORM_SELECTOR = "#documento"
CURRENT_PLACE = "0"  # "LUGAR DE VOTACION ACTUAL" in GET /back/api/elecciones
CONSULTA_PATH = "/back/api/consulta"
_CURRENT_PLACE_OPTION = f"#eleccion option[value='{CURRENT_PLACE}']"


# Resolves true once `selector` is in the document, false after `ms` without it: one evaluate
# instead of a Playwright locator, whose selector engine is compiled in the page after every
# navigation (the same cost page_tools.click avoids).
_APPEARED = """([selector, ms]) => new Promise((done) => {
  if (document.querySelector(selector)) { done(true); return; }
  const watch = new MutationObserver(() => {
    if (document.querySelector(selector)) { watch.disconnect(); clearTimeout(timer); done(true); }
  });
  const timer = setTimeout(() => { watch.disconnect(); done(false); }, ms);
  watch.observe(document, {childList: true, subtree: true});
})"""
_QUICK_WAIT_MS = 5_000


async def wait_until_ready(page: Page, quick_wait_ms: int = _QUICK_WAIT_MS) -> None:
    """Wait for the page's script to fill #eleccion from the elections API (after
    `quick_wait_ms` without it, Playwright's own wait takes over, with the page's timeout)."""
    if not await page.evaluate(_APPEARED, [_CURRENT_PLACE_OPTION, quick_wait_ms]):
        await page.locator(_CURRENT_PLACE_OPTION).wait_for(state="attached")


async def fill(page: Page, cedula: str, captcha_token: str) -> None:
    await fill_form(page, {"#documento": cedula, "#eleccion": CURRENT_PLACE}, captcha_token)


async def submit(page: Page) -> ConsultaReply:
    """Click the submit button and read the reply to the POST the script sends to the API."""
    async with page.expect_response(
        lambda r: r.request.method == "POST" and urlsplit(r.url).path.endswith(CONSULTA_PATH)
    ) as reply_info:
        await click(page, "#submitBtn")
    response = await reply_info.value
    return ConsultaReply(response.status, await response.body())
