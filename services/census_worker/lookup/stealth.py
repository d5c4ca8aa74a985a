"""Context preparers: hooks run on every new browser context before its page opens.

The stealth preparer hides the most obvious automation trace; a fuller kit (playwright-stealth)
can be added as another preparer without touching the browser manager.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from playwright.async_api import BrowserContext

from services.census_worker.settings import LookupSettings

ContextPreparer = Callable[[BrowserContext], Awaitable[None]]

STEALTH_LAUNCH_ARGS = ("--disable-blink-features=AutomationControlled",)
_HIDE_WEBDRIVER = (
    "Object.defineProperty(Navigator.prototype, 'webdriver', "
    "{get: () => undefined, configurable: true});"
)


async def hide_webdriver(context: BrowserContext) -> None:
    """`navigator.webdriver` reads undefined, as in a browser nobody drives."""
    await context.add_init_script(script=_HIDE_WEBDRIVER)


def stealth_preparers(settings: LookupSettings) -> list[ContextPreparer]:
    return [hide_webdriver] if settings.stealth else []


def stealth_launch_args(settings: LookupSettings) -> tuple[str, ...]:
    return STEALTH_LAUNCH_ARGS if settings.stealth else ()
