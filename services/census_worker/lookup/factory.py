"""Composition of the lookup from settings: the one place that builds and closes its parts."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

import httpx

from services.census_worker.domain.model import CensusSource
from services.census_worker.lookup.browser.manager import BrowserManager
from services.census_worker.lookup.browser.stealth import ContextPreparer
from services.census_worker.lookup.captcha.account import AccountRules, BalanceWatch
from services.census_worker.lookup.captcha.pooled import PooledCaptchaSolver
from services.census_worker.lookup.captcha.solver import CaptchaSolver, TwoCaptchaSolver
from services.census_worker.lookup.captcha.spend import CaptchaSpend, CountedSolver
from services.census_worker.lookup.captcha.token_pool import PresolvedTokenPool
from services.census_worker.lookup.consultacenso.source import ConsultaCensoSource
from services.census_worker.lookup.settings import LookupSettings, SourceName
from services.census_worker.lookup.wsp.source import WspSource


@dataclass(frozen=True)
class LookupStack:
    """The running parts of the lookup: one source per variant in rotation (preferred first),
    sharing one browser and captcha client; the worker reads the rest for its metrics, and
    starts `balance` (the captcha account's check) itself."""

    sources: tuple[CensusSource, ...]
    browser: BrowserManager
    token_pools: tuple[PresolvedTokenPool, ...]
    spend: CaptchaSpend = field(default_factory=lambda: CaptchaSpend(price_per_1000=0.0))
    balance: BalanceWatch | None = None

    @property
    def source(self) -> CensusSource:
        """The preferred variant."""
        return self.sources[0]


@contextlib.asynccontextmanager
async def open_lookup_stack(
    settings: LookupSettings, preparers: Sequence[ContextPreparer] = ()
) -> AsyncIterator[LookupStack]:
    """The sources `settings.rotation` names, with their browser, captcha client and token pools
    (one per variant: each follows the pace of its own host's lookups)."""
    async with contextlib.AsyncExitStack() as stack:
        http = await stack.enter_async_context(httpx.AsyncClient(timeout=30.0))
        spend = CaptchaSpend(price_per_1000=settings.captcha_price_per_1000)
        service = _captcha_service(settings, http)
        solver, pools = _captcha_solver(settings, CountedSolver(service, spend), spend, stack)
        browser = BrowserManager(settings, preparers)
        stack.push_async_callback(browser.stop)
        sources = tuple(_source(name, settings, browser, solver) for name in settings.rotation)
        balance = _balance_watch(settings, service, spend)
        yield LookupStack(sources, browser, pools, spend, balance)


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


def _captcha_service(settings: LookupSettings, http: httpx.AsyncClient) -> TwoCaptchaSolver:
    return TwoCaptchaSolver(
        http,
        api_key=settings.captcha_api_key.get_secret_value(),
        base_url=settings.captcha_base_url,
        poll_interval_s=settings.captcha_poll_interval_s,
        solve_timeout_s=settings.captcha_solve_timeout_s,
    )


def _balance_watch(
    settings: LookupSettings, service: TwoCaptchaSolver, spend: CaptchaSpend
) -> BalanceWatch:
    rules = AccountRules(
        live=settings.live,
        has_key=bool(settings.captcha_api_key.get_secret_value()),
        low_balance=settings.captcha_low_balance,
        interval_s=settings.captcha_balance_check_interval_s,
    )
    return BalanceWatch(service, spend, rules)


# Pooled tokens a bulk lookup leaves for a new sign-up or a person's own refresh.
INTERACTIVE_RESERVE = 1


def _captcha_solver(
    settings: LookupSettings,
    solver: CaptchaSolver,
    spend: CaptchaSpend,
    stack: contextlib.AsyncExitStack,
) -> tuple[CaptchaSolver, tuple[PresolvedTokenPool, ...]]:
    if settings.captcha_pool_size == 0:
        return solver, ()
    pools = tuple(
        PresolvedTokenPool(
            solver,
            sitekey=settings.sitekey_of(variant),
            page_url=settings.page_url_of(variant),
            size=settings.captcha_pool_size,
            max_age_s=settings.captcha_token_max_age_s,
            spend=spend,
            reserve=INTERACTIVE_RESERVE,
        )
        for variant in settings.rotation
    )
    for pool in pools:
        pool.start()
        stack.push_async_callback(pool.stop)
    return PooledCaptchaSolver(pools, solver), pools
