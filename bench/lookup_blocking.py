"""Other ways to keep a lookup's page from loading what it never needs, and a wipe without its
storage step, for `bench/lookup_levers.py` to measure against the worker's own."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from playwright.async_api import BrowserContext, CDPSession, Route
from playwright.async_api import Error as PlaywrightError

from services.census_worker.lookup.browser import blocking
from services.census_worker.lookup.browser.pages import _WIPE_TAB, LookupPage

_ROUTED = re.compile(r"\.(png|jpe?g|gif|woff2?)(\?|$)|/recaptcha/")


async def routed_blocking(context: BrowserContext) -> None:
    """Blocking as a Playwright route (every request paused for the driver, cache off)."""

    async def abort(route: Route) -> None:
        await route.abort("blockedbyclient")

    await context.route(_ROUTED, abort)
    await blocking.stand_in_for_widget(context)


async def blocking_unbuffered(session: CDPSession) -> None:
    """CDP blocking with the network domain told to keep no response body for this session."""
    limits = {"maxTotalBufferSize": 0, "maxResourceBufferSize": 0}
    await session.send("Network.enable", limits)
    await session.send("Network.setBlockedURLs", {"urls": list(blocking.BLOCKED_URLS)})


async def fetch_blocking(session: CDPSession) -> None:
    """Blocking through the Fetch domain: only requests matching BLOCKED_URLS are paused, and
    refused from here; no network event of the page crosses to this process."""

    def refuse(event: dict[str, Any]) -> None:
        task = asyncio.ensure_future(
            session.send(
                "Fetch.failRequest",
                {"requestId": event["requestId"], "errorReason": "BlockedByClient"},
            )
        )
        _REFUSALS.add(task)
        task.add_done_callback(_REFUSALS.discard)

    session.on("Fetch.requestPaused", refuse)
    patterns = [{"urlPattern": url} for url in blocking.BLOCKED_URLS]
    await session.send("Fetch.enable", {"patterns": patterns})


_REFUSALS: set[asyncio.Future[Any]] = set()


async def without_storage_wipe(lookup_page: LookupPage, timeout_s: float) -> bool:
    """The wipe's cookies and tab storage only: what `Storage.clearDataForOrigin` costs."""
    try:
        async with asyncio.timeout(timeout_s):
            await lookup_page.context.clear_cookies()
            await lookup_page.page.evaluate(_WIPE_TAB)
    except (PlaywrightError, TimeoutError):
        return False
    return True
