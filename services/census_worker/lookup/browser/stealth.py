"""Context preparers: hooks run on every new browser context before its page opens.

With `CENSUS_STEALTH` on, the pinned playwright-stealth library patches each context (webdriver,
languages, window.chrome, plugins, WebGL vendor...); if that library cannot be imported, a minimal
script hides `navigator.webdriver` alone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import structlog
from playwright.async_api import BrowserContext

from services.census_worker.lookup.settings import LookupSettings

log = structlog.get_logger(__name__)

ContextPreparer = Callable[[BrowserContext], Awaitable[None]]

STEALTH_LAUNCH_ARGS = ("--disable-blink-features=AutomationControlled",)
# What a desktop Chrome set to Colombian Spanish reports; matches chromium.context_options'
# locale and Accept-Language header.
NAVIGATOR_LANGUAGES = ("es-CO", "es", "en")
NAVIGATOR_PLATFORM = "Linux x86_64"  # the platform of chromium.desktop_user_agent
_HIDE_WEBDRIVER = (
    "Object.defineProperty(Navigator.prototype, 'webdriver', "
    "{get: () => undefined, configurable: true});"
)


async def hide_webdriver(context: BrowserContext) -> None:
    """`navigator.webdriver` reads undefined, as in a browser nobody drives."""
    await context.add_init_script(script=_HIDE_WEBDRIVER)


def library_stealth() -> ContextPreparer:
    """playwright-stealth's evasions as a preparer; raises ImportError when it is not installed."""
    from playwright_stealth import Stealth  # optional; it reads files on import

    stealth = Stealth(
        navigator_languages_override=NAVIGATOR_LANGUAGES,
        navigator_platform_override=NAVIGATOR_PLATFORM,
    )

    async def apply(context: BrowserContext) -> None:
        await stealth.apply_stealth_async(context)

    return apply


def stealth_preparers(settings: LookupSettings) -> list[ContextPreparer]:
    if not settings.stealth:
        return []
    try:
        return [library_stealth()]
    except ImportError as exc:
        log.warning("stealth_library_missing", error=str(exc), fallback="hide_webdriver")
        return [hide_webdriver]


def stealth_launch_args(settings: LookupSettings) -> tuple[str, ...]:
    return STEALTH_LAUNCH_ARGS if settings.stealth else ()
