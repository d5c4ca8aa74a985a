"""The browsers of the side-by-side scenario: a leader's Inicio open on one web process, which
must follow its referrals and their census answers live (no reload)."""

from __future__ import annotations

from playwright.async_api import Browser, Page, expect

from tests.reliability.support import registration_body


async def logged_in(browser: Browser, web: str, cedula: str) -> Page:
    """A person's Inicio on one web process, marked so a reload would show."""
    page = await (await browser.new_context()).new_page()
    await page.goto(f"{web}/ingresar")
    await page.fill("#f-cedula", cedula)
    await page.fill("#f-password", registration_body(cedula)["password"])
    await page.click("form[action='/ingresar'] button[type=submit]")
    await page.wait_for_url("**/inicio")
    await page.evaluate("window.__sinRecargar = true")
    return page


async def followed_live(page: Page, referrals: int) -> None:
    """The referrals and their ACTIVE answers reached the open page through its live stream."""
    count = page.locator(".summary__count strong")
    await expect(count).to_have_text(str(referrals), timeout=60_000)
    active = page.locator(".status-counts a[href='/referidos?estado=ACTIVE'] strong")
    await expect(active).to_have_text(str(referrals), timeout=60_000)
    assert await page.evaluate("window.__sinRecargar") is True
