"""The `wsp` page itself: loading the form, filling it, and catching the reply to its POST."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page, Response

_PUT_TOKEN = """token => {
  let area = document.querySelector('#g-recaptcha-response');
  if (!area) {  // Google's widget did not render it: the form still has to send the field
    area = document.createElement('textarea');
    area.id = area.name = 'g-recaptcha-response';
    area.style.display = 'none';
    (document.querySelector('form') || document.body).appendChild(area);
  }
  area.value = token;
  area.innerHTML = token;
}"""


@dataclass(frozen=True, slots=True)
class ConsultaReply:
    """The answer to the consulta POST; `body` is None when the page reloaded before it was read."""

    status: int
    body: bytes | None


async def load(page: Page, url: str, attempts: int) -> Response | None:
    """GET the page, again while it answers 5xx (the site has an occasional flaky 500)."""
    response: Response | None = None
    for _ in range(attempts):
        response = await page.goto(url, wait_until="domcontentloaded")
        if response is None or response.status < 500:
            break
    return response


async def has_form(page: Page) -> bool:
    return await page.locator("#nuip").count() > 0


async def sitekey(page: Page, default: str) -> str:
    """The reCAPTCHA sitekey the page shows, or `default` when it shows none."""
    widget = page.locator("div.g-recaptcha[data-sitekey]")
    if await widget.count():
        return await widget.first.get_attribute("data-sitekey") or default
    return default


async def fill(page: Page, cedula: str, captcha_token: str) -> None:
    await page.fill("#nuip", cedula)
    await page.select_option("#tipo", value="-1")  # current polling place
    await page.evaluate(_PUT_TOKEN, captcha_token)


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
