"""Builders shared by the lookup's integration tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
from playwright.async_api import BrowserContext, Route

from services.census_worker.lookup.browser.manager import BrowserManager
from services.census_worker.lookup.browser.stealth import ContextPreparer
from services.census_worker.lookup.captcha.solver import TwoCaptchaSolver
from services.census_worker.lookup.consultacenso.source import ConsultaCensoSource
from services.census_worker.lookup.settings import LookupSettings
from services.census_worker.lookup.wsp.source import WspSource

StartSimulator = Callable[..., str]  # start_simulator(**SimulatorSettings fields) -> base URL


def lookup_settings(base_url: str, **overrides: Any) -> LookupSettings:
    """Settings pointing the lookup at a simulator, with short timeouts for tests."""
    values: dict[str, Any] = {
        "wsp_url": f"{base_url}/censo/consultar/",
        "consultacenso_url": f"{base_url}/consultacenso/",
        "captcha_base_url": base_url,
        "captcha_api_key": "test-key",
        "captcha_poll_interval_s": 0.05,
        "captcha_solve_timeout_s": 10.0,
        "page_timeout_s": 10.0,
    }
    return LookupSettings(_env_file=None, **{**values, **overrides})  # type: ignore[call-arg]


def _solver(base_url: str, http: httpx.AsyncClient, key: str) -> TwoCaptchaSolver:
    return TwoCaptchaSolver(
        http, api_key=key, base_url=base_url, poll_interval_s=0.05, solve_timeout_s=5
    )


def wsp_source(
    base_url: str,
    browser: BrowserManager,
    http: httpx.AsyncClient,
    *,
    key: str = "test-key",
    max_reloads: int = 2,
) -> WspSource:
    solver = _solver(base_url, http, key)
    return WspSource(browser, solver, url=f"{base_url}/censo/consultar/", max_reloads=max_reloads)


def consultacenso_source(
    base_url: str, browser: BrowserManager, http: httpx.AsyncClient, *, key: str = "test-key"
) -> ConsultaCensoSource:
    solver = _solver(base_url, http, key)
    return ConsultaCensoSource(browser, solver, url=f"{base_url}/consultacenso/")


def first_request_answered(method: str, status: int, body: str) -> ContextPreparer:
    """A context preparer: the page's first `method` request gets `body`; later ones the site."""

    async def prepare(context: BrowserContext) -> None:
        answered = False

        async def handle(route: Route) -> None:
            nonlocal answered
            if route.request.method != method or answered:
                await route.continue_()
                return
            answered = True
            kind = "application/json" if body.startswith("{") else "text/html"
            await route.fulfill(status=status, body=body, content_type=kind)

        await context.route("**/censo/consultar/", handle)

    return prepare


async def until(condition: Callable[[], object], timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.05)
