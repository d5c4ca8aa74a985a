"""The Chromium features the worker's browser runs without, and the one switch that says so.

Chromium obeys only the last `--disable-features` switch, and Playwright passes its own list
first: ours must repeat Playwright's, or its features would silently come back. `dropped` reads
the running browser's command line to catch a Playwright upgrade that changed its list.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import structlog
from playwright.async_api import Browser
from playwright.async_api import Error as PlaywrightError

from services.census_worker.lookup.browser.memory import browser_pid

log = structlog.get_logger(__name__)

SWITCH = "--disable-features="

# Playwright 1.65's list (chromiumSwitches.ts).
PLAYWRIGHT_DISABLED = (
    "AimEnabled",
    "AvoidCorsURLLoaderRestartOnRedirect",
    "AvoidUnnecessaryBeforeUnloadCheckSync",
    "DestroyProfileOnBrowserClose",
    "HttpsFirstBalancedModeAutoEnable",
    "HttpsUpgrades",
    "LensOverlay",
    "MediaRouter",
    "NetworkTimeServiceQuerying",
    "OptimizationHints",
    "PaintHolding",
    "PreconnectToSearch",
    "TcpPortRandomizationWin",
    "ThirdPartyStoragePartitioning",
    "msEdgeUpdateLaunchServicesPreferredVersion",
    "msForceBrowserSignIn",
)

# Renderer processes every new context started for nothing: the omnibox popups (WebUI) that
# headless Chromium preloads for each window, and the spare renderer kept warm for a next
# navigation that never comes, since each lookup gets a fresh context. Without them a lookup
# needs about 2.4 times less CPU (bench/README.md).
UNUSED_PER_CONTEXT = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup", "SpareRendererForSitePerProcess")

DISABLED = (*PLAYWRIGHT_DISABLED, *UNUSED_PER_CONTEXT)


def switch(features: tuple[str, ...]) -> str:
    """The one `--disable-features` switch naming `features`."""
    return SWITCH + ",".join(features)


async def dropped(browser: Browser, timeout_s: float) -> set[str]:
    """Features an earlier `--disable-features` of the browser's command line (Playwright's)
    names and the last one (ours, the one Chromium obeys) lacks; empty when unknown."""
    try:
        async with asyncio.timeout(timeout_s):
            pid = await browser_pid(browser)
        if pid is None:
            return set()
        words = Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ").split()
    except (PlaywrightError, OSError, TimeoutError) as exc:
        log.warning("chromium_command_line_unknown", error=str(exc)[:300])
        return set()
    lists = [set(w.removeprefix(SWITCH).split(",")) for w in words if w.startswith(SWITCH)]
    return set().union(*lists[:-1]) - lists[-1] if lists else set()
