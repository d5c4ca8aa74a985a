"""The `wsp` variant of the census lookup: the form at /censo/consultar/, driven in Chromium."""

from __future__ import annotations

import re
import time

import structlog
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from schemas.census import CensusStatus
from schemas.events import CEDULA_PATTERN
from services.census_worker.lookup import wsp_page
from services.census_worker.lookup.browser import BrowserManager, BrowserUnavailable
from services.census_worker.lookup.captcha import (
    CaptchaError,
    CaptchaSolver,
    CaptchaTimeout,
    CaptchaUnsolvable,
)
from services.census_worker.lookup.classify import Reply, ReloadRequested, classify_reply
from services.census_worker.lookup.model import LookupResult
from services.census_worker.settings import WSP_SITEKEY
from services.common.logging import mask_cedula

log = structlog.get_logger(__name__)

_CEDULA = re.compile(CEDULA_PATTERN)


class WspSource:
    """Looks a cédula up on the `wsp` site; every failure becomes a classified `LookupResult`."""

    name = "wsp"

    def __init__(
        self,
        browser: BrowserManager,
        solver: CaptchaSolver,
        *,
        url: str,
        sitekey: str = WSP_SITEKEY,
        max_reloads: int = 2,
        get_attempts: int = 2,
    ) -> None:
        self._browser, self._solver = browser, solver
        self._url, self._sitekey = url, sitekey
        self._max_reloads, self._get_attempts = max_reloads, get_attempts

    async def lookup(self, cedula: str) -> LookupResult:
        started = time.monotonic()
        result = await self._guarded_lookup(cedula)
        log.info("census_lookup_done", cedula=mask_cedula(cedula), source=self.name,
                 status=str(result.status), reason=result.reason,
                 elapsed_ms=round((time.monotonic() - started) * 1000))
        return result

    async def _guarded_lookup(self, cedula: str) -> LookupResult:
        if not _CEDULA.fullmatch(cedula):
            return self._failure(CensusStatus.ERROR, "invalid cédula: 3-10 digits, no leading zero")
        try:
            async with self._browser.page() as page:
                return await self._consult(page, cedula)
        except PlaywrightTimeout as exc:
            reason = f"the site did not answer in time: {_first_line(exc.message)}"
            return self._failure(CensusStatus.TIMEOUT, reason)
        except (CaptchaUnsolvable, CaptchaTimeout) as exc:
            return self._failure(CensusStatus.BLOCKED, str(exc))
        except (CaptchaError, BrowserUnavailable) as exc:
            return self._failure(CensusStatus.ERROR, _first_line(str(exc)))
        except PlaywrightError as exc:
            return self._failure(CensusStatus.ERROR, f"browser failure: {_first_line(exc.message)}")
        except TimeoutError:
            return self._failure(CensusStatus.ERROR, "the browser did not respond in time")
        except Exception as exc:  # noqa: BLE001 - lookup() must answer; the bug is logged
            log.exception("census_lookup_crashed", cedula=mask_cedula(cedula))
            return self._failure(CensusStatus.ERROR, f"unexpected failure: {type(exc).__name__}")

    async def _consult(self, page: Page, cedula: str) -> LookupResult:
        reply: Reply | None = None
        for attempt in range(1, self._max_reloads + 2):
            unusable = await self._open_form(page)
            if unusable is not None:
                return unusable
            sitekey = await wsp_page.sitekey(page, self._sitekey)
            token = await self._solver.solve(sitekey, self._url)
            reply = await self._submit(page, cedula, token)
            if isinstance(reply, LookupResult):
                return reply
            log.info("census_reload_requested", cedula=mask_cedula(cedula), attempt=attempt)
        raw = reply.raw_response if isinstance(reply, ReloadRequested) else None
        reason = f"the site asked to reload {self._max_reloads + 1} times in a row"
        return self._failure(CensusStatus.ERROR, reason, raw)

    async def _open_form(self, page: Page) -> LookupResult | None:
        """None when the form is there; else why not (firewall page, HTTP errors after a retry)."""
        response = await wsp_page.load(page, self._url, self._get_attempts)
        status = response.status if response is not None else None
        if (status is None or status < 400) and await wsp_page.has_form(page):
            return None
        content = await page.content()
        blocked = classify_reply(content, source=self.name, http_status=status)
        if isinstance(blocked, LookupResult) and blocked.status is CensusStatus.BLOCKED:
            return blocked
        reason = f"the lookup form did not load (HTTP {status})"
        return self._failure(CensusStatus.ERROR, reason, content)

    async def _submit(self, page: Page, cedula: str, token: str) -> Reply:
        await wsp_page.fill(page, cedula, token)
        reply = await wsp_page.submit(page)
        if reply.body is None:
            return ReloadRequested(raw_response=None)
        return classify_reply(reply.body, source=self.name, http_status=reply.status,
                              cedula=cedula)

    def _failure(self, status: CensusStatus, reason: str, raw: str | None = None) -> LookupResult:
        return LookupResult.failure(status, self.name, reason, raw)


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0][:300] if message.strip() else "(no detail)"
