"""Chromium recycled above its memory limit, with real processes: lookups keep succeeding."""

from __future__ import annotations

import asyncio

import httpx

from schemas.census import CensusStatus
from services.census_worker.lookup.browser.manager import BrowserManager
from tests.integration.census_worker.processes import browser_main_processes, chromium_processes
from tests.integration.census_worker.support import lookup_settings, until, wsp_source

FOUND = "1102812122"


async def test_browser_over_a_tiny_memory_limit_is_recycled_between_lookups(
    simulator_url: str, http: httpx.AsyncClient
) -> None:
    before = chromium_processes()
    settings = lookup_settings(
        simulator_url, browser_max_rss_mb=1, browser_memory_check_interval_s=0
    )
    browser = BrowserManager(settings)
    source = wsp_source(simulator_url, browser, http)
    try:
        first = await source.lookup(FOUND)
        (first_main,) = browser_main_processes(chromium_processes() - before)
        second = await source.lookup(FOUND)
        (second_main,) = browser_main_processes(chromium_processes() - before)
    finally:
        await browser.stop()

    assert [first.status, second.status] == [CensusStatus.ACTIVE] * 2, second.reason
    assert browser.launches == 2 and first_main != second_main
    assert browser.memory.last_rss_mb is not None and browser.memory.last_rss_mb > 1
    await until(lambda: not (chromium_processes() - before))


async def test_recycling_waits_for_lookups_in_flight(
    simulator_url: str, http: httpx.AsyncClient
) -> None:
    settings = lookup_settings(
        simulator_url,
        browser_max_rss_mb=1,
        browser_memory_check_interval_s=0,
        max_concurrent_lookups=2,
    )
    browser = BrowserManager(settings)
    source = wsp_source(simulator_url, browser, http)
    try:
        results = await asyncio.gather(*(source.lookup(FOUND) for _ in range(4)))
    finally:
        await browser.stop()

    assert [r.status for r in results] == [CensusStatus.ACTIVE] * 4, [r.reason for r in results]
    assert 2 <= browser.launches <= 4


async def test_browser_under_its_memory_limit_is_kept(
    simulator_url: str, http: httpx.AsyncClient
) -> None:
    settings = lookup_settings(
        simulator_url, browser_max_rss_mb=100_000, browser_memory_check_interval_s=0
    )
    browser = BrowserManager(settings)
    source = wsp_source(simulator_url, browser, http)
    try:
        for _ in range(2):
            assert (await source.lookup(FOUND)).status is CensusStatus.ACTIVE
    finally:
        await browser.stop()

    assert browser.launches == 1
    assert browser.memory.last_rss_mb is not None and browser.memory.last_rss_mb > 10
