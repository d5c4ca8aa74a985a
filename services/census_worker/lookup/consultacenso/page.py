"""The consultacenso page itself: its election list, its form, and the reply of its JSON API."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.async_api import Page

from services.census_worker.lookup.page_tools import ConsultaReply, click, fill_form

FORM_SELECTOR = "#documento"
CURRENT_PLACE = "0"  # "LUGAR DE VOTACION ACTUAL" in GET /back/api/elecciones
CONSULTA_PATH = "/back/api/consulta"
_CURRENT_PLACE_OPTION = f"#eleccion option[value='{CURRENT_PLACE}']"


async def wait_until_ready(page: Page) -> None:
    """Wait for the page's script to fill #eleccion from the elections API."""
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
