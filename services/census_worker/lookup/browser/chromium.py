"""How Chromium is launched and how its contexts look to the site (desktop Chrome, es-CO)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any, Protocol

import structlog
from playwright.async_api import Browser, BrowserContext, Playwright
from playwright.async_api import Error as PlaywrightError

from services.census_worker.lookup.browser import chromium_features
from services.census_worker.lookup.browser.stealth import ContextPreparer, stealth_launch_args
from services.census_worker.lookup.settings import LookupSettings

log = structlog.get_logger(__name__)

LAUNCH_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


class BrowserUnavailable(Exception):
    """Chromium could not be launched, or gave no usable context, or the manager is stopped."""


class _Closable(Protocol):
    async def close(self) -> None: ...


async def launch(playwright: Playwright, settings: LookupSettings) -> Browser:
    browser = await _launch(playwright, settings, chromium_features.DISABLED)
    if missing := await chromium_features.dropped(browser, settings.page_timeout_s):
        # An upgraded Playwright disables more than our copy of its list: keep those off too.
        log.warning("chromium_features_list_stale", missing=sorted(missing))
        await close_quietly(browser, settings.page_timeout_s)
        features = (*chromium_features.DISABLED, *sorted(missing))
        browser = await _launch(playwright, settings, features)
    return browser


async def _launch(
    playwright: Playwright, settings: LookupSettings, disabled_features: tuple[str, ...]
) -> Browser:
    args = [
        *LAUNCH_ARGS,
        *stealth_launch_args(settings),
        chromium_features.switch(disabled_features),
    ]
    try:
        return await playwright.chromium.launch(
            executable_path=settings.chromium_path,
            headless=settings.headless,
            args=args,
            timeout=settings.page_timeout_s * 1000,
        )
    except PlaywrightError as exc:
        message = f"could not launch Chromium at {settings.chromium_path}: {exc.message}"
        raise BrowserUnavailable(message) from exc


def desktop_user_agent(browser: Browser) -> str:
    """Desktop Chrome's user agent for the launched version (headless's trips the firewall)."""
    major = browser.version.split(".", 1)[0]
    return (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        f"Chrome/{major}.0.0.0 Safari/537.36"
    )


def context_options(user_agent: str | None) -> dict[str, Any]:
    return {
        "user_agent": user_agent,
        "locale": "es-CO",
        "timezone_id": "America/Bogota",
        "viewport": {"width": 1366, "height": 768},
        "extra_http_headers": {"Accept-Language": "es-CO,es;q=0.9,en;q=0.8"},
    }


async def new_context(
    browser: Browser,
    user_agent: str | None,
    preparers: Sequence[ContextPreparer],
    timeout_s: float,
) -> BrowserContext:
    """A context that looks like desktop Chrome, prepared, every action under `timeout_s`."""
    async with asyncio.timeout(timeout_s):
        context = await browser.new_context(**context_options(user_agent))
    context.set_default_timeout(timeout_s * 1000)
    context.set_default_navigation_timeout(timeout_s * 1000)
    try:
        async with asyncio.timeout(timeout_s):
            for prepare in preparers:
                await prepare(context)
    except BaseException:
        await close_quietly(context, timeout_s)
        raise
    return context


async def close_quietly(target: _Closable, timeout_s: float) -> None:
    """Close a context or browser; one that is already gone or hangs must not fail the caller."""
    with contextlib.suppress(PlaywrightError, TimeoutError):
        async with asyncio.timeout(timeout_s):
            await target.close()
