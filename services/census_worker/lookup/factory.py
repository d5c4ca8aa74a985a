"""Composition of the lookup from settings: the one place that builds and closes its parts."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

import httpx

from services.census_worker.domain.model import CensusSource
from services.census_worker.lookup.browser.manager import BrowserManager
from services.census_worker.lookup.browser.stealth import ContextPreparer
from services.census_worker.lookup.captcha.solver import CaptchaSolver, TwoCaptchaSolver
from services.census_worker.lookup.captcha.token_pool import PooledCaptchaSolver, PresolvedTokenPool
from services.census_worker.lookup.consultacenso.source import ConsultaCensoSource
from services.census_worker.lookup.wsp.source import WspSource
from services.census_worker.settings import LookupSettings, SourceName


@dataclass(frozen=True)
class LookupStack:
    """The running parts of the lookup: one source per variant in rotation (preferred first),
    sharing one browser and captcha client; the worker reads the last two for its metrics."""

    sources: tuple[CensusSource, ...]
    browser: BrowserManager
    token_pool: PresolvedTokenPool | None

    @property
    def source(self) -> CensusSource:
        """The preferred variant."""
        return self.sources[0]


@contextlib.asynccontextmanager
async def open_lookup_stack(
    settings: LookupSettings, preparers: Sequence[ContextPreparer] = ()
) -> AsyncIterator[LookupStack]:
    """The sources `settings.rotation` names, with their browser, captcha client and token pool
    (the pool serves the preferred variant)."""
    async with contextlib.AsyncExitStack() as stack:
        http = await stack.enter_async_context(httpx.AsyncClient(timeout=30.0))
        solver, pool = _captcha_solver(settings, http, stack)
        browser = BrowserManager(settings, preparers)
        stack.push_async_callback(browser.stop)
        sources = tuple(_source(name, settings, browser, solver) for name in settings.rotation)
        yield LookupStack(sources, browser, pool)


@contextlib.asynccontextmanager
async def open_census_source(
    settings: LookupSettings, preparers: Sequence[ContextPreparer] = ()
) -> AsyncIterator[CensusSource]:
    async with open_lookup_stack(settings, preparers) as lookup:
        yield lookup.source


def _source(
    name: SourceName, settings: LookupSettings, browser: BrowserManager, solver: CaptchaSolver
) -> CensusSource:
    if name == "consultacenso":
        return ConsultaCensoSource(
            browser, solver, url=settings.consultacenso_url, sitekey=settings.consultacenso_sitekey
        )
    return WspSource(
        browser,
        solver,
        url=settings.wsp_url,
        sitekey=settings.wsp_sitekey,
        max_reloads=settings.max_reloads,
    )


def _captcha_solver(
    settings: LookupSettings, http: httpx.AsyncClient, stack: contextlib.AsyncExitStack
) -> tuple[CaptchaSolver, PresolvedTokenPool | None]:
    solver = TwoCaptchaSolver(
        http,
        api_key=settings.captcha_api_key.get_secret_value(),
        base_url=settings.captcha_base_url,
        poll_interval_s=settings.captcha_poll_interval_s,
        solve_timeout_s=settings.captcha_solve_timeout_s,
    )
    if settings.captcha_pool_size == 0:
        return solver, None
    pool = PresolvedTokenPool(
        solver,
        sitekey=settings.sitekey,
        page_url=settings.page_url,
        size=settings.captcha_pool_size,
        max_age_s=settings.captcha_token_max_age_s,
    )
    pool.start()
    stack.push_async_callback(pool.stop)
    return PooledCaptchaSolver(pool, solver), pool
