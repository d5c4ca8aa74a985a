"""The levers `worker_levers` measures, each on top of the worker before this round (Playwright's
click): Chromium switches, the viewport, how what a lookup never needs is blocked, the wipe.
`applied(lever)` sets the module attributes the lookup reads at each launch, new context and
lookup, and puts them back after."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from playwright.async_api import Page

from bench.lookup_blocking import (
    blocking_unbuffered,
    fetch_blocking,
    routed_blocking,
    without_storage_wipe,
)
from services.census_worker.lookup import page_tools
from services.census_worker.lookup.browser import (
    blocking,
    chromium,
    chromium_features,
    manager,
    pages,
)
from services.census_worker.lookup.browser.stealth import ContextPreparer
from services.census_worker.lookup.consultacenso import page as consultacenso_page
from services.census_worker.lookup.wsp import page as wsp_page

# Playwright's own headless `--blink-settings` and `--enable-features`: Chromium obeys only the
# last of each switch, so a lever that passes one repeats Playwright's values.
_PLAYWRIGHT_BLINK = (
    "primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4"
)
_PLAYWRIGHT_ENABLED = "CDPScreenshotNewSurface,SkipListAccountsWithoutGaiaCookies"
_NO_IMAGES = f"--blink-settings={_PLAYWRIGHT_BLINK},imagesEnabled=false"


async def _playwright_click(page: Page, selector: str) -> None:
    """How the form was submitted before: Playwright's click, with its selector engine."""
    await page.click(selector)


async def _locator_wait(page: Page) -> None:
    """How consultacenso waited for its election list before: a Playwright locator."""
    await page.locator(consultacenso_page._CURRENT_PLACE_OPTION).wait_for(state="attached")


@dataclass(frozen=True)
class Lever:
    """What a variant changes: LookupSettings fields, Chromium switches and features added,
    the context's viewport (None: no emulated viewport, the window's), the blocking."""

    settings: dict[str, Any] = field(default_factory=dict)
    switches: tuple[str, ...] = ()
    disabled_features: tuple[str, ...] = ()
    viewport: dict[str, int] | str | None = "as is"
    page_blocking: Any = None  # a page preparer replacing the worker's CDP blocking
    preparers: tuple[ContextPreparer, ...] = ()
    click: Any = _playwright_click  # how the form's button is clicked
    wipe: Any = None  # replaces pages.wipe (measurement only)
    ready_wait: Any = _locator_wait  # consultacenso's wait for its election list


BEFORE = Lever()  # the worker before this round's change: Playwright's click
LEVERS: dict[str, Lever] = {
    "the worker before (Playwright's click)": BEFORE,
    "the worker now (click at the button's centre)": Lever(click=page_tools.click),
    "consultacenso before (locator wait, Playwright's click)": Lever(
        settings={"source": "consultacenso"}
    ),
    "consultacenso now (evaluate wait, centre click)": Lever(
        settings={"source": "consultacenso"},
        click=page_tools.click,
        ready_wait=consultacenso_page.wait_until_ready,
    ),
    "viewport 800×600": Lever(viewport={"width": 800, "height": 600}),
    "no emulated viewport, --window-size=800,600": Lever(
        viewport=None, switches=("--window-size=800,600",)
    ),
    "--in-process-gpu": Lever(switches=("--in-process-gpu",)),
    "--disable-software-rasterizer": Lever(switches=("--disable-software-rasterizer",)),
    "--disable-features=Translate,…": Lever(
        disabled_features=(
            "Translate",
            "AcceptCHFrame",
            "OptimizationGuideModelDownloading",
            "InterestFeedContentSuggestions",
            "CertificateTransparencyComponentUpdater",
            "AutofillServerCommunication",
            "DialMediaRouteProvider",
        )
    ),
    "--blink-settings=imagesEnabled=false": Lever(switches=(_NO_IMAGES,)),
    "--disable-remote-fonts": Lever(switches=("--disable-remote-fonts",)),
    "--enable-features=NetworkServiceInProcess2": Lever(
        switches=(f"--enable-features={_PLAYWRIGHT_ENABLED},NetworkServiceInProcess2",)
    ),
    "--renderer-process-limit=2": Lever(switches=("--renderer-process-limit=2",)),
    "CDP blocking, no body buffers": Lever(page_blocking=blocking_unbuffered),
    "routed blocking (page route), warm pages": Lever(
        settings={"block_unneeded": False}, preparers=(routed_blocking,)
    ),
    "nothing blocked, warm pages": Lever(settings={"block_unneeded": False}),
    "the small ones together (800×600 window, in-process GPU, no web fonts, centre click)": Lever(
        viewport=None,
        switches=("--window-size=800,600", "--in-process-gpu", "--disable-remote-fonts"),
        click=page_tools.click,
    ),
    "measurement only: no Storage.clearDataForOrigin in the wipe": Lever(
        click=page_tools.click, wipe=without_storage_wipe
    ),
    "Fetch-domain blocking (no network events)": Lever(page_blocking=fetch_blocking),
    "no images, no web fonts by switch; Fetch blocking": Lever(
        switches=(_NO_IMAGES, "--disable-remote-fonts"), page_blocking=fetch_blocking
    ),
}


def _values(lever: Lever) -> dict[tuple[ModuleType, str], Any]:
    """Each module attribute the lookup reads, with its value under `lever`."""
    options = chromium.context_options

    def context_options(user_agent: str | None) -> dict[str, Any]:
        out = options(user_agent)
        if lever.viewport is None:
            return {**{k: v for k, v in out.items() if k != "viewport"}, "no_viewport": True}
        return out if lever.viewport == "as is" else {**out, "viewport": lever.viewport}

    return {
        (chromium, "LAUNCH_ARGS"): (*chromium.LAUNCH_ARGS, *lever.switches),
        (chromium_features, "DISABLED"): (*chromium_features.DISABLED, *lever.disabled_features),
        (chromium, "context_options"): context_options,
        (manager, "block_unneeded"): lever.page_blocking or blocking.block_unneeded,
        (wsp_page, "click"): lever.click,
        (consultacenso_page, "click"): lever.click,
        (pages, "wipe"): lever.wipe or pages.wipe,
        (consultacenso_page, "wait_until_ready"): lever.ready_wait,
    }


@contextlib.contextmanager
def applied(lever: Lever) -> Iterator[None]:
    """The lookup stack opened inside the block runs with `lever` on."""
    values = _values(lever)
    saved = {key: getattr(*key) for key in values}
    for (module, name), value in values.items():
        setattr(module, name, value)
    try:
        yield
    finally:
        for (module, name), value in saved.items():
            setattr(module, name, value)
