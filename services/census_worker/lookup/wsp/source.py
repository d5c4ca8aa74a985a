"""The `wsp` variant of the census lookup: the form at /censo/consultar/, driven in Chromium."""

from __future__ import annotations

import structlog
from playwright.async_api import Page

from schemas.census import CensusStatus
from services.census_worker.domain.model import FirstRequestHook, LookupResult, TurnWait
from services.census_worker.lookup import page_tools
from services.census_worker.lookup.browser.manager import BrowserManager
from services.census_worker.lookup.captcha.solver import CaptchaSolver
from services.census_worker.lookup.guard import guarded_lookup
from services.census_worker.lookup.settings import WSP_SITEKEY
from services.census_worker.lookup.wsp import page as wsp_page
from services.census_worker.lookup.wsp.classify import ReloadRequested, Reply, classify_reply
from services.common.logging import mask_cedula

log = structlog.get_logger(__name__)


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

    async def lookup(
        self,
        cedula: str,
        on_first_request: FirstRequestHook | None = None,
        until_turn: TurnWait | None = None,
    ) -> LookupResult:
        return await guarded_lookup(
            self.name, self._browser, cedula, self._consult, on_first_request, self._url, until_turn
        )

    async def _consult(self, page: Page, cedula: str) -> LookupResult:
        reply: Reply | None = None
        for attempt in range(1, self._max_reloads + 2):
            form = await page_tools.open_form(
                page,
                self._url,
                attempts=self._get_attempts,
                form_selector=wsp_page.FORM_SELECTOR,
                source=self.name,
            )
            if isinstance(form, LookupResult):
                return form
            token = await self._solver.solve(form.sitekey or self._sitekey, self._url)
            reply = await self._submit(page, cedula, token)
            if isinstance(reply, LookupResult):
                return reply
            log.info("census_reload_requested", cedula=mask_cedula(cedula), attempt=attempt)
        raw = reply.raw_response if isinstance(reply, ReloadRequested) else None
        reason = f"the site asked to reload {self._max_reloads + 1} times in a row"
        return LookupResult.failure(CensusStatus.ERROR, self.name, reason, raw)

    async def _submit(self, page: Page, cedula: str, token: str) -> Reply:
        await wsp_page.fill(page, cedula, token)
        reply = await wsp_page.submit(page)
        if reply.body is None:
            return ReloadRequested(raw_response=None)
        return classify_reply(reply.body, source=self.name, http_status=reply.status, cedula=cedula)
