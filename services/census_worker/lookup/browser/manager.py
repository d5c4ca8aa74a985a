"""Pages for the lookups: at most `max_concurrent_lookups` at once, each in a context of its own,
kept warm for the next lookup (wiped first) or closed after one (`reuse_pages`)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence

import structlog
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from services.census_worker.lookup.browser import chromium, pages
from services.census_worker.lookup.browser.blocking import block_unneeded, stand_in_for_widget
from services.census_worker.lookup.browser.chromium import BrowserUnavailable
from services.census_worker.lookup.browser.lifecycle import ChromiumLifecycle
from services.census_worker.lookup.browser.memory import MemoryWatch
from services.census_worker.lookup.browser.stealth import ContextPreparer, stealth_preparers
from services.census_worker.lookup.settings import LookupSettings

log = structlog.get_logger(__name__)


class BrowserManager:
    """Hands out pages (`async with manager.page() as page`), at most `max_concurrent_lookups`."""

    def __init__(self, settings: LookupSettings, preparers: Sequence[ContextPreparer] = ()) -> None:
        self._settings = settings
        blocking = [stand_in_for_widget] if settings.block_unneeded else []
        self._preparers = [*stealth_preparers(settings), *blocking, *preparers]
        self._page_preparers = [block_unneeded] if settings.block_unneeded else []
        self._timeout_s = settings.page_timeout_s
        self._slots = asyncio.Semaphore(settings.max_concurrent_lookups)
        self.lifecycle = ChromiumLifecycle(settings)
        self._warm: list[pages.LookupPage] = []  # idle, of this or an earlier browser

    @property
    def launches(self) -> int:
        return self.lifecycle.launches

    @property
    def memory(self) -> MemoryWatch:
        return self.lifecycle.memory

    @contextlib.asynccontextmanager
    async def page(self) -> AsyncIterator[Page]:
        """A page with no trace of any earlier lookup; after a lookup that raised it is closed
        with its context, after one that answered it is kept warm (`reuse_pages`)."""
        async with self._slots:
            lookup_page = await self._take_page()
            answered = False
            try:
                yield lookup_page.page
                answered = True
            finally:
                try:
                    await self._give_back(lookup_page, answered)
                finally:
                    self.lifecycle.check_in()

    async def stop(self, grace_s: float = 10.0) -> None:
        """Let lookups in flight finish (up to `grace_s`), then close Chromium and the driver."""
        await self.lifecycle.stop(grace_s)
        self._warm.clear()  # their contexts closed with the browser

    async def _take_page(self) -> pages.LookupPage:
        """A warm page of the current browser, wiped; else a new one (in a new context)."""
        browser = await self.lifecycle.check_out()
        while self._warm:
            warm = self._warm.pop()
            if warm.browser is browser and await pages.wipe(warm, self._timeout_s):
                return warm
            await chromium.close_quietly(warm.context, self._timeout_s)
        failure: Exception | None = None
        for attempt in range(2):  # a browser found dead here is relaunched once
            browser = await self.lifecycle.check_out() if attempt else browser
            try:
                return await pages.open_new(
                    browser,
                    self.lifecycle.user_agent,
                    self._preparers,
                    self._page_preparers,
                    self._timeout_s,
                )
            except BaseException as exc:
                self.lifecycle.check_in()
                if not isinstance(exc, (PlaywrightError, TimeoutError)):
                    raise
                failure = exc
                connected = browser.is_connected()
                log.warning("browser_context_failed", error=str(exc)[:300], connected=connected)
                await self.lifecycle.close_if_gone(browser)
        raise BrowserUnavailable(f"Chromium gave no usable context: {failure}") from failure

    async def _give_back(self, lookup_page: pages.LookupPage, answered: bool) -> None:
        current = self.lifecycle.current
        reusable = self._settings.reuse_pages and answered and not self.lifecycle.stopped
        if reusable and lookup_page.browser is current and not lookup_page.page.is_closed():
            self._warm.append(lookup_page)
        else:
            await chromium.close_quietly(lookup_page.context, self._timeout_s)
