"""A real Chromium for tests that drive pages themselves, launched as the worker launches it: the
same executable setting (CENSUS_CHROMIUM_PATH) and the flags the closed network needs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from playwright.async_api import Browser, async_playwright

from services.census_worker.lookup.browser.chromium import LAUNCH_ARGS
from services.census_worker.lookup.settings import LookupSettings


@asynccontextmanager
async def launched_chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=LookupSettings().chromium_path, args=list(LAUNCH_ARGS)
        )
        try:
            yield browser
        finally:
            await browser.close()
