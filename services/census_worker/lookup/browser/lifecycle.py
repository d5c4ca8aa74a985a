"""Chromium's life in a worker process: launched on first use, handed out to lookups, recycled
when it ages or outgrows its memory limit, relaunched when it dies, closed at stop."""

from __future__ import annotations

import asyncio
import contextlib

import structlog
from playwright.async_api import Browser, Playwright, async_playwright
from playwright.async_api import Error as PlaywrightError

from services.census_worker.lookup.browser import chromium
from services.census_worker.lookup.browser.chromium import BrowserUnavailable
from services.census_worker.lookup.browser.memory import MemoryWatch
from services.census_worker.lookup.settings import LookupSettings

log = structlog.get_logger(__name__)


class ChromiumLifecycle:
    """The one browser: `check_out()` before a lookup uses it, `check_in()` after."""

    def __init__(self, settings: LookupSettings) -> None:
        self._settings = settings
        self._timeout_s = settings.page_timeout_s
        self._lock = asyncio.Lock()
        self._idle = asyncio.Event()
        self._idle.set()
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self.user_agent = settings.user_agent
        self._in_flight = self._served = 0
        self.memory = MemoryWatch(
            settings.browser_max_rss_mb, settings.browser_memory_check_interval_s
        )
        self.stopped = False
        self.launches = 0

    @property
    def current(self) -> Browser | None:
        return self._browser

    async def stop(self, grace_s: float) -> None:
        """Let lookups in flight finish (up to `grace_s`), then close Chromium and the driver."""
        self.stopped = True
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(grace_s):
                await self._idle.wait()
        async with self._lock:
            await self._close_browser("stop")
            if self._playwright is not None:
                with contextlib.suppress(PlaywrightError):
                    await self._playwright.stop()
                self._playwright = None

    async def close_if_gone(self, browser: Browser) -> None:
        """Forget `browser` when it is found disconnected (the next check-out relaunches)."""
        if not browser.is_connected():
            async with self._lock:
                await self._close_browser("disconnected", only=browser)

    async def check_out(self) -> Browser:
        """The browser to open the next context in; recycles or relaunches it first when due."""
        async with self._lock:
            if self.stopped:
                raise BrowserUnavailable("the browser manager is stopped")
            reason = await self._recycle_reason()
            if reason is not None:
                await self._idle.wait()  # no new lookup starts while we hold the lock
                await self._close_browser(reason)
            browser = self._browser
            if browser is None or not browser.is_connected():
                browser = await self._launch()
            self._served += 1
            self._in_flight += 1
            self._idle.clear()
            return browser

    async def _recycle_reason(self) -> str | None:
        browser = self._browser
        if browser is None or not browser.is_connected():
            return None
        if self._served >= self._settings.recycle_after_lookups:
            return "recycle"
        if await self.memory.over_limit(browser, self._timeout_s):
            return "memory"
        return None

    def check_in(self) -> None:
        self._in_flight -= 1
        if self._in_flight == 0:
            self._idle.set()

    async def _launch(self) -> Browser:
        await self._close_browser("relaunch")
        if self._playwright is None:
            self._playwright = await async_playwright().start()
        browser = await chromium.launch(self._playwright, self._settings)
        browser.on("disconnected", lambda _: self._forget(browser))
        self._browser, self._served = browser, 0
        self.user_agent = self._settings.user_agent or chromium.desktop_user_agent(browser)
        self.launches += 1
        log.info("browser_launched", version=browser.version, launches=self.launches)
        return browser

    def _forget(self, browser: Browser) -> None:
        if self._browser is browser:
            log.warning("browser_disconnected")
            self._browser = None

    async def _close_browser(self, why: str, only: Browser | None = None) -> None:
        browser = self._browser
        if browser is None or (only is not None and browser is not only):
            return
        self._browser = None
        log.info("browser_closing", reason=why, served=self._served)
        await chromium.close_quietly(browser, self._timeout_s)
