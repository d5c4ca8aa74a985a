"""Warm pages (`reuse_pages`) with real Chromium on the real page weight: a slot's page serves
lookup after lookup with the form working, blocking still on and the simulator's firewall never
tripped, and nothing one lookup left (cookies, local and session storage, IndexedDB, window.name)
reaches the next; a lookup that raised gets a new page."""

from __future__ import annotations

import httpx
import pytest
from playwright.async_api import Page

from schemas.census import CensusStatus
from services.census_worker.lookup.browser.manager import BrowserManager
from tests.integration.census_worker.support import (
    StartSimulator,
    consultacenso_source,
    lookup_settings,
    wsp_source,
)

FOUND = "1102812122"
VARIANTS = {"wsp": wsp_source, "consultacenso": consultacenso_source}

_LEAVE_TRACES = """async () => {
  document.cookie = "rastro=1; path=/";
  localStorage.setItem("rastro", "1");
  sessionStorage.setItem("rastro", "1");
  window.name = "rastro";
  await new Promise((done, failed) => {
    const opening = indexedDB.open("rastro", 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore("s");
    opening.onsuccess = () => { opening.result.close(); done(); };
    opening.onerror = () => failed(opening.error);
  });
}"""
_TRACES = """async () => ({
  cookie: document.cookie,
  local: localStorage.length,
  session: sessionStorage.length,
  name: window.name,
  databases: (await indexedDB.databases()).map(d => d.name),
})"""
_CLEAN = {"cookie": "", "local": 0, "session": 0, "name": "", "databases": []}


@pytest.fixture
def heavy_page(start_simulator: StartSimulator) -> str:
    return start_simulator(page_weight="real", request_log=True)


async def test_a_warm_page_keeps_nothing_of_the_last_lookup(heavy_page: str) -> None:
    browser = BrowserManager(lookup_settings(heavy_page, max_concurrent_lookups=1))
    url = f"{heavy_page}/censo/consultar/"
    try:
        async with browser.page() as first:
            await first.goto(url)
            await first.evaluate(_LEAVE_TRACES)
            assert (await first.evaluate(_TRACES))["local"] == 1
        async with browser.page() as second:
            assert second is first  # the same warm page...
            assert await second.context.cookies() == []  # ...wiped before it is handed out
            await second.goto(url)
            traces = await second.evaluate(_TRACES)
            cookies = {c["name"] for c in await second.context.cookies()}
    finally:
        await browser.stop()

    # The site's own session cookies come back with its GET, fresh: nothing else does.
    assert {**traces, "cookie": ""} == _CLEAN, traces
    assert "rastro" not in traces["cookie"] and "rastro" not in cookies


async def test_a_page_whose_lookup_raised_is_not_reused(simulator_url: str) -> None:
    browser = BrowserManager(lookup_settings(simulator_url, max_concurrent_lookups=1))
    failed: Page | None = None
    try:
        with pytest.raises(RuntimeError):
            async with browser.page() as failed:
                raise RuntimeError("the lookup broke")
        async with browser.page() as page:
            assert page is not failed and failed.is_closed()
    finally:
        await browser.stop()


@pytest.mark.parametrize("variant", sorted(VARIANTS))
async def test_lookups_on_one_warm_page_all_answer_and_block_what_they_should(
    heavy_page: str, http: httpx.AsyncClient, variant: str
) -> None:
    before = len((await http.get(f"{heavy_page}/_sim/requests")).json())
    browser = BrowserManager(lookup_settings(heavy_page, max_concurrent_lookups=1))
    try:
        source = VARIANTS[variant](heavy_page, browser, http)
        results = [await source.lookup(FOUND) for _ in range(3)]
    finally:
        await browser.stop()
    logged = (await http.get(f"{heavy_page}/_sim/requests")).json()[before:]
    paths = [entry["path"] for entry in logged]

    # ACTIVE, not BLOCKED: the simulator's firewall (its page, its status) was never met.
    assert [r.status for r in results] == [CensusStatus.ACTIVE] * 3, [r.reason for r in results]
    assert not [p for p in paths if p.endswith((".png", ".woff2"))], paths
    assert not [p for p in paths if p.startswith("/recaptcha/")], paths
    # Each lookup loaded the page itself (a new session, a new nonce): 3 GETs of it.
    page_path = "/censo/consultar" if variant == "wsp" else "/consultacenso"
    gets = [e for e in logged if e["method"] == "GET" and e["path"].rstrip("/") == page_path]
    assert len(gets) == 3, paths
