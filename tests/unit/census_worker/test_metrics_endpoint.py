"""The worker's `/metrics` endpoint answers, with the readings of the running lookup stack
(browser restarts, captcha tokens ready, captcha spend), and closes with it."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator

import httpx
import pytest

from services.census_worker.adapters.metrics import WorkerMetrics
from services.census_worker.bootstrap import open_sources_with_metrics
from services.census_worker.entrypoints.metrics_http import serving_metrics
from services.census_worker.lookup.browser.manager import BrowserManager
from services.census_worker.lookup.captcha.spend import CaptchaSpend
from services.census_worker.lookup.captcha.token_pool import PresolvedTokenPool
from services.census_worker.lookup.factory import LookupStack
from services.census_worker.lookup.settings import LookupSettings
from services.census_worker.settings import WorkerSettings
from tests.support.fakes import FullDemand, ScriptedSource
from tests.support.infra import free_port


class InstantSolver:
    async def solve(self, sitekey: str, page_url: str) -> str:
        return "token"


async def ready_pool(size: int) -> PresolvedTokenPool:
    pool = PresolvedTokenPool(
        InstantSolver(), sitekey="key", page_url="http://site", size=size, demand=FullDemand()
    )
    pool.start()
    async with asyncio.timeout(5):
        while pool.ready < size:
            await asyncio.sleep(0.01)
    return pool


async def test_the_endpoint_answers_with_the_lookup_stacks_readings() -> None:
    pool = await ready_pool(2)
    browser = BrowserManager(LookupSettings())
    browser.lifecycle.launches = 3  # two relaunches after the first launch

    spend = CaptchaSpend(price_per_1000=3.0, solves=Counter(solved=500, unsolvable=2))
    spend.expired, spend.balance = 4, 7.25

    @contextlib.asynccontextmanager
    async def stack(_: LookupSettings) -> AsyncIterator[LookupStack]:
        yield LookupStack((ScriptedSource(),), browser, (pool,), spend)

    port = free_port()
    settings = WorkerSettings(metrics_port=port)
    try:
        async with (
            open_sources_with_metrics(LookupSettings(), settings, WorkerMetrics(), stack),
            httpx.AsyncClient() as client,
        ):
            response = await client.get(f"http://127.0.0.1:{port}/metrics")
    finally:
        await pool.stop()

    assert response.status_code == 200
    assert "census_captcha_pool_tokens 2.0" in response.text
    assert "census_browser_restarts_total 2.0" in response.text
    assert "census_lookups_in_flight 0.0" in response.text
    assert 'census_captcha_solves_total{result="solved"} 500.0' in response.text
    assert 'census_captcha_solves_total{result="unsolvable"} 2.0' in response.text
    assert "census_captcha_tokens_expired_total 4.0" in response.text
    assert "census_captcha_spend_estimated 1.5" in response.text
    assert "census_captcha_balance 7.25" in response.text


async def test_the_endpoint_closes_with_the_lookup_stack() -> None:
    port = free_port()
    with serving_metrics(WorkerMetrics(), "127.0.0.1", port) as serving_port:
        assert serving_port == port
    async with httpx.AsyncClient() as client:
        with pytest.raises(httpx.ConnectError):
            await client.get(f"http://127.0.0.1:{port}/metrics")


def test_port_zero_serves_no_endpoint() -> None:
    with serving_metrics(WorkerMetrics(), "127.0.0.1", 0) as serving_port:
        assert serving_port is None


async def test_the_endpoint_is_live_at_once_and_ready_once_the_consumers_run() -> None:
    metrics, port = WorkerMetrics(), free_port()
    with serving_metrics(metrics, "127.0.0.1", port):
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            assert (await client.get("/health/live")).json() == {"status": "ok"}
            starting = await client.get("/health/ready")
            assert starting.status_code == 503
            assert starting.json() == {"status": "unready", "consumers": "starting"}
            metrics.readiness.set("consumers", "ok")  # what the app's after-start hook does
            assert (await client.get("/health/ready")).status_code == 200
            assert (await client.get("/nothing-here")).status_code == 404
