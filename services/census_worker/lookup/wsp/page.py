"""The `wsp` page itself: filling its form and catching the reply to its POST."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page

from services.census_worker.lookup.page_tools import ConsultaReply, click, fill_form

FORM_SELECTOR = "#nuip"


async def fill(page: Page, cedula: str, captcha_token: str) -> None:
    await fill_form(page, {"#nuip": cedula, "#tipo": "-1"}, captcha_token)  # -1: current place


async def submit(page: Page) -> ConsultaReply:
    """Click CONSULTAR and read the reply to the POST the page's script sends to its own URL."""
    path = urlsplit(page.url).path
    with _recording_navigations(page) as navigations:
        async with page.expect_response(
            lambda r: r.request.method == "POST" and urlsplit(r.url).path == path
        ) as reply_info:
            await click(page, "#enviar")
        response = await reply_info.value
        try:
            return ConsultaReply(response.status, await response.body())
        except PlaywrightError:
            # Chromium drops a reply's body once the page navigates, and the page's script only
            # navigates (reloads) when the reply says `reload: true`.
            if navigations:
                return ConsultaReply(response.status, None)
            raise


@contextlib.contextmanager
def _recording_navigations(page: Page) -> Iterator[list[str]]:
    """URLs the page's main frame navigates to while the block runs (a warm page serves many
    lookups: the listener must not outlive this one)."""
    navigations: list[str] = []

    def record(frame: Frame) -> None:
        if frame == page.main_frame:
            navigations.append(frame.url)

    page.on("framenavigated", record)
    try:
        yield navigations
    finally:
        page.remove_listener("framenavigated", record)
