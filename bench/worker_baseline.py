"""The replaced system's lookup, as the throughput baseline: one Chromium, one lookup after
another, a new context each, synchronous Playwright and a blocking 2captcha client.

It drives the same `wsp` page the project's worker drives (goto, #nuip, #tipo = -1, the token in
#g-recaptcha-response, #enviar, the answer in #success) and reads the answer with the project's
table parser, so only the way the lookup is run differs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

import httpx
from playwright.sync_api import Browser, sync_playwright

from schemas.census import CensusStatus
from services.census_worker.lookup.browser.chromium import (
    LAUNCH_ARGS,
    context_options,
    desktop_user_agent,
)
from services.census_worker.lookup.wsp.result_table import has_table, result_from_table

SITEKEY_SELECTOR = "div.g-recaptcha[data-sitekey]"
_PUT_TOKEN = "(area, token) => { area.value = token; area.innerHTML = token; }"


@dataclass(frozen=True)
class BaselineConfig:
    page_url: str
    captcha_base_url: str
    captcha_api_key: str
    captcha_poll_interval_s: float
    chromium_path: str
    timeout_s: float = 30.0


def solve_captcha(http: httpx.Client, config: BaselineConfig, sitekey: str) -> str:
    """in.php, then res.php every poll interval until the token is there (blocking)."""
    base, key = config.captcha_base_url.rstrip("/"), config.captcha_api_key
    form = {"key": key, "method": "userrecaptcha", "googlekey": sitekey, "json": "1"}
    submitted = http.post(f"{base}/in.php", data={**form, "pageurl": config.page_url}).json()
    if submitted.get("status") != 1:
        raise RuntimeError(f"captcha refused: {submitted}")
    query = {"key": key, "action": "get", "id": submitted["request"], "json": "1"}
    while True:
        time.sleep(config.captcha_poll_interval_s)
        answer = http.get(f"{base}/res.php", params=query).json()
        if answer.get("status") == 1:
            return str(answer["request"])
        if answer.get("request") != "CAPCHA_NOT_READY":
            raise RuntimeError(f"captcha failed: {answer}")


def lookup(browser: Browser, http: httpx.Client, config: BaselineConfig, cedula: str) -> bool:
    """One lookup in a new context; True when the census answered ACTIVE for `cedula`."""
    context = browser.new_context(**context_options(desktop_user_agent(browser)))  # type: ignore[arg-type]
    try:
        context.set_default_timeout(config.timeout_s * 1000)
        page = context.new_page()
        page.goto(config.page_url, wait_until="domcontentloaded")
        sitekey = page.get_attribute(SITEKEY_SELECTOR, "data-sitekey") or ""
        page.fill("#nuip", cedula)
        page.select_option("#tipo", value="-1")
        token = solve_captcha(http, config, sitekey)
        page.eval_on_selector("#g-recaptcha-response", _PUT_TOKEN, token)
        page.click("#enviar")
        page.wait_for_selector("#success > *", state="attached")
        answer = page.inner_html("#success")
    finally:
        context.close()
    if not has_table(answer):
        return False
    result = result_from_table(answer, source="baseline", cedula=cedula)
    return result.status is CensusStatus.ACTIVE


def run_sequentially(
    config: BaselineConfig,
    cedulas: Sequence[str],
    warmup: Sequence[str],
    on_done: Callable[[bool], None],
    measuring: AbstractContextManager[object] | None = None,
) -> float:
    """Look `warmup` then `cedulas` up one after another, the latter inside `measuring`; the
    seconds the `cedulas` took.

    A lookup that raises counts as a failure (`on_done(False)`), as it did in the old worker.
    """
    with sync_playwright() as playwright, httpx.Client(timeout=30.0) as http:
        browser = playwright.chromium.launch(
            executable_path=config.chromium_path, headless=True, args=list(LAUNCH_ARGS)
        )
        try:
            for cedula in warmup:
                _safely(browser, http, config, cedula)
            with measuring or nullcontext():
                started = time.perf_counter()
                for cedula in cedulas:
                    on_done(_safely(browser, http, config, cedula))
                return time.perf_counter() - started
        finally:
            browser.close()


def _safely(browser: Browser, http: httpx.Client, config: BaselineConfig, cedula: str) -> bool:
    try:
        return lookup(browser, http, config, cedula)
    except Exception:  # a failed lookup is counted, not fatal, like the replaced worker
        return False


def run_politely(config: BaselineConfig, cedulas: Sequence[str], interval_s: float) -> float:
    """The replaced portal's loop at a live site: one lookup at a time, its captcha solved
    inline, then the interval; the seconds the lookups took (Chromium's launch excluded)."""
    with sync_playwright() as playwright, httpx.Client(timeout=30.0) as http:
        browser = playwright.chromium.launch(
            executable_path=config.chromium_path, headless=True, args=list(LAUNCH_ARGS)
        )
        try:
            started = time.perf_counter()
            for cedula in cedulas:
                _safely(browser, http, config, cedula)
                time.sleep(interval_s)
            return time.perf_counter() - started
        finally:
            browser.close()
