"""A lookup's page with its own CDP session, and the wipe that lets a warm one serve the next
lookup as if it were new: no cookie, no storage, no window name left from the last one.

A new context costs Chromium a renderer process started and the page's scripts and stylesheets
fetched, parsed and compiled again; a warm page keeps its renderer and its HTTP and code caches
(which hold only the site's public files), and nothing else: the wipe runs before every reuse.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from playwright.async_api import Browser, BrowserContext, CDPSession, Page
from playwright.async_api import Error as PlaywrightError

from services.census_worker.lookup.browser import chromium
from services.census_worker.lookup.browser.stealth import ContextPreparer

PagePreparer = Callable[[CDPSession], Awaitable[None]]

# The DOM storage of the page's own tab: `Storage.clearDataForOrigin` leaves sessionStorage
# (it belongs to the tab, not the origin) and a same-site navigation keeps window.name.
_WIPE_TAB = """() => {
  for (const store of [window.sessionStorage, window.localStorage]) {
    try { store.clear(); } catch (e) {}
  }
  window.name = "";
}"""


@dataclass(frozen=True, slots=True)
class LookupPage:
    """A page, its context (one page each) and its CDP session, from `browser`."""

    browser: Browser
    context: BrowserContext
    page: Page
    cdp: CDPSession


async def open_new(
    browser: Browser,
    user_agent: str | None,
    preparers: Sequence[ContextPreparer],
    page_preparers: Sequence[PagePreparer],
    timeout_s: float,
) -> LookupPage:
    """A new context's page, both prepared (the page's blocking is set on its CDP session
    before it first navigates)."""
    context = await chromium.new_context(browser, user_agent, preparers, timeout_s)
    try:
        async with asyncio.timeout(timeout_s):
            page = await context.new_page()
            cdp = await context.new_cdp_session(page)
            for prepare in page_preparers:
                await prepare(cdp)
    except BaseException:
        await chromium.close_quietly(context, timeout_s)
        raise
    return LookupPage(browser, context, page, cdp)


async def wipe(lookup_page: LookupPage, timeout_s: float) -> bool:
    """Forget every cookie of the context and the storage of the origin the page was on
    (local and session storage, IndexedDB, Cache Storage, service workers); False when the
    page did not let itself be wiped (it must then be closed, not reused)."""
    page, origin = lookup_page.page, _origin(lookup_page.page.url)
    try:
        async with asyncio.timeout(timeout_s):
            await lookup_page.context.clear_cookies()
            if origin is not None:
                await page.evaluate(_WIPE_TAB)
                await lookup_page.cdp.send(
                    "Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"}
                )
    except (PlaywrightError, TimeoutError):
        return False
    return True


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else None
