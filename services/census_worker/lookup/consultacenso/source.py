"""The `consultacenso` variant of the census lookup: its single-page app, driven in Chromium.

The page's own script posts the consulta to <page>/back/api/consulta; the JSON reply is caught on
the network and classified by `classify_consultacenso`.
"""

from __future__ import annotations

from playwright.async_api import Page

from services.census_worker.domain.model import FirstRequestHook, LookupResult, TurnWait
from services.census_worker.lookup import page_tools
from services.census_worker.lookup.browser.manager import BrowserManager
from services.census_worker.lookup.captcha.solver import CaptchaSolver
from services.census_worker.lookup.consultacenso import page as consultacenso_page
from services.census_worker.lookup.consultacenso.classify import classify_consultacenso
from services.census_worker.lookup.guard import guarded_lookup
from services.census_worker.lookup.settings import CONSULTACENSO_SITEKEY


class ConsultaCensoSource:
    """Looks a cédula up on consultacenso; every failure becomes a classified `LookupResult`."""

    name = "consultacenso"

    def __init__(
        self,
        browser: BrowserManager,
        solver: CaptchaSolver,
        *,
        url: str,
        sitekey: str = CONSULTACENSO_SITEKEY,
        get_attempts: int = 2,
    ) -> None:
        self._browser, self._solver = browser, solver
        self._url, self._sitekey, self._get_attempts = url, sitekey, get_attempts

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
        form = await page_tools.open_form(
            page,
            self._url,
            attempts=self._get_attempts,
            form_selector=consultacenso_page.FORM_SELECTOR,
            source=self.name,
        )
        if isinstance(form, LookupResult):
            return form
        await consultacenso_page.wait_until_ready(page)  # before paying for a token
        token = await self._solver.solve(form.sitekey or self._sitekey, self._url)
        await consultacenso_page.fill(page, cedula, token)
        reply = await consultacenso_page.submit(page)
        return classify_consultacenso(
            reply.body, source=self.name, http_status=reply.status, cedula=cedula
        )
