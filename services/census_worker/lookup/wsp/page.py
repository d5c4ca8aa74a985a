"""The `wsp` page itself: filling its form and catching the reply to its POST."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page

from services.census_worker.lookup.page_tools import ConsultaReply, put_captcha_token

FORM_SELECTOR = "#nuip"


async def fill(page: Page, cedula: str, captcha_token: str) -> None:
    await page.fill("#nuip", cedula)
    await page.select_option("#tipo", value="-1")  # current polling place
    await put_captcha_token(page, captcha_token)


async def submit(page: Page) -> ConsultaReply:
    """Click CONSULTAR and read the reply to the POST the page's script sends to its own URL."""
    path = urlsplit(page.url).path
    navigations = _record_navigations(page)
    async with page.expect_response(
        lambda r: r.request.method == "POST" and urlsplit(r.url).path == path
    ) as reply_info:
        await page.click("#enviar")
    response = await reply_info.value
    try:
        return ConsultaReply(response.status, await response.body())
    except PlaywrightError:
        # Chromium drops a reply's body once the page navigates, and the page's script only
        # navigates (reloads) when the reply says `reload: true`.
        if navigations:
            return ConsultaReply(response.status, None)
        raise


def _record_navigations(page: Page) -> list[str]:
    """URLs the page's main frame navigates to from now on."""
    navigations: list[str] = []

    def record(frame: Frame) -> None:
        if frame == page.main_frame:
            navigations.append(frame.url)

    page.on("framenavigated", record)
    return navigations
