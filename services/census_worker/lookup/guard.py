"""What every census source promises: any failure becomes a classified `LookupResult`, logged.

Only cancellation escapes; a bug in a source is logged with its traceback and answered ERROR.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

import structlog
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Request
from playwright.async_api import TimeoutError as PlaywrightTimeout

from schemas.census import CensusStatus
from schemas.events import CEDULA_PATTERN
from services.census_worker.domain.model import FirstRequestHook, LookupResult, TurnWait
from services.census_worker.domain.turns import TurnLost
from services.census_worker.lookup.browser.chromium import BrowserUnavailable
from services.census_worker.lookup.browser.manager import BrowserManager
from services.census_worker.lookup.captcha.solver import (
    CaptchaError,
    CaptchaTimeout,
    CaptchaUnsolvable,
)
from services.common.logging import mask_cedula

log = structlog.get_logger(__name__)

_CEDULA = re.compile(CEDULA_PATTERN)
Consult = Callable[[Page, str], Awaitable[LookupResult]]


async def guarded_lookup(
    source: str,
    browser: BrowserManager,
    cedula: str,
    consult: Consult,
    on_first_request: FirstRequestHook | None = None,
    site_url: str = "",
    until_turn: TurnWait | None = None,
) -> LookupResult:
    """`consult(page, cedula)` in a fresh page of `browser`, its failures classified;
    `on_first_request` runs when the page sends its first request to `site_url`'s origin.
    The page is opened first, then `until_turn` awaited: the host's turn is not spent on it."""
    started = time.monotonic()
    watched = _watching_first_request(consult, on_first_request, site_url)
    result = await _guarded(source, browser, cedula, watched, until_turn)
    log.info(
        "census_lookup_done",
        cedula=mask_cedula(cedula),
        source=source,
        status=str(result.status),
        reason=result.reason,
        elapsed_ms=round((time.monotonic() - started) * 1000),
    )
    return result


async def _guarded(
    source: str, browser: BrowserManager, cedula: str, consult: Consult, until_turn: TurnWait | None
) -> LookupResult:
    def failure(status: CensusStatus, reason: str) -> LookupResult:
        return LookupResult.failure(status, source, reason)

    if not _CEDULA.fullmatch(cedula):
        return failure(CensusStatus.ERROR, "invalid cédula: 3-10 digits, no leading zero")
    try:
        async with browser.page() as page:
            if until_turn is not None:
                await until_turn()
            return await consult(page, cedula)
    except TurnLost:
        raise  # nothing was sent: the caller waits for another turn
    except PlaywrightTimeout as exc:
        return failure(
            CensusStatus.TIMEOUT, f"the site did not answer in time: {first_line(exc.message)}"
        )
    except (CaptchaUnsolvable, CaptchaTimeout) as exc:
        return failure(CensusStatus.BLOCKED, str(exc))
    except (CaptchaError, BrowserUnavailable) as exc:
        return failure(CensusStatus.ERROR, first_line(str(exc)))
    except PlaywrightError as exc:
        return failure(CensusStatus.ERROR, f"browser failure: {first_line(exc.message)}")
    except TimeoutError:
        return failure(CensusStatus.ERROR, "the browser did not respond in time")
    except Exception as exc:  # lookup() must answer; the bug is logged
        log.exception("census_lookup_crashed", cedula=mask_cedula(cedula), source=source)
        return failure(CensusStatus.ERROR, f"unexpected failure: {type(exc).__name__}")


def _watching_first_request(
    consult: Consult, hook: FirstRequestHook | None, site_url: str
) -> Consult:
    if hook is None:
        return consult
    origin = _origin(site_url)

    async def watched(page: Page, cedula: str) -> LookupResult:
        def on_request(request: Request) -> None:
            if _origin(request.url) == origin:
                page.remove_listener("request", on_request)
                hook()

        page.on("request", on_request)
        try:
            return await consult(page, cedula)
        finally:  # the page may serve the next lookup, which has a hook of its own
            with contextlib.suppress(KeyError, ValueError):
                page.remove_listener("request", on_request)

    return watched


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def first_line(message: str) -> str:
    return message.strip().splitlines()[0][:300] if message.strip() else "(no detail)"
