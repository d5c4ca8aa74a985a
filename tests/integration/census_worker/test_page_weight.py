"""Lookups on pages as heavy as the real site's (`SIM_PAGE_WEIGHT=real`: stylesheets, fonts,
scripts, banner images and a third-party reCAPTCHA script with its iframe) in real Chromium: with
what a lookup never needs blocked, both variants still answer, and the simulator's own log shows
that images, fonts and the widget were never requested while the stylesheets and the site's
scripts were; with blocking off, the widget's own stand-in carries the token, so the blocking is
what removes the weight, not what makes the form work."""

from __future__ import annotations

import httpx
import pytest

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


async def _look_up(
    base: str, http: httpx.AsyncClient, variant: str, block: bool
) -> tuple[CensusStatus, list[str]]:
    """The answer's status and the paths the simulator received during the lookup."""
    before = len((await http.get(f"{base}/_sim/requests")).json())
    browser = BrowserManager(lookup_settings(base, block_unneeded=block))
    try:
        result = await VARIANTS[variant](base, browser, http).lookup(FOUND)
    finally:
        await browser.stop()
    logged = (await http.get(f"{base}/_sim/requests")).json()[before:]
    assert result.status is CensusStatus.ACTIVE, result.reason
    return result.status, [entry["path"] for entry in logged]


@pytest.mark.parametrize("variant", sorted(VARIANTS))
async def test_blocking_keeps_the_form_working_and_drops_the_weight(
    start_simulator: StartSimulator, http: httpx.AsyncClient, variant: str
) -> None:
    base = start_simulator(page_weight="real", request_log=True)

    _, paths = await _look_up(base, http, variant, block=True)

    assert "/assets/bootstrap.min.css" in paths and "/assets/jquery.min.js" in paths
    assert not [p for p in paths if p.endswith((".png", ".woff2"))], paths
    assert not [p for p in paths if p.startswith("/recaptcha/")], paths


async def test_without_blocking_the_page_loads_everything_and_still_answers(
    start_simulator: StartSimulator, http: httpx.AsyncClient
) -> None:
    base = start_simulator(page_weight="real", request_log=True)

    _, paths = await _look_up(base, http, "wsp", block=False)

    assert {"/assets/banner-censo.png", "/assets/roboto-regular.woff2"} <= set(paths), paths
    assert {"/recaptcha/api.js", "/recaptcha/anchor", "/recaptcha/anchor.js"} <= set(paths)


async def test_blocking_on_the_light_page_changes_nothing(
    start_simulator: StartSimulator, http: httpx.AsyncClient
) -> None:
    """The light page defines its own `grecaptcha`: the stand-in leaves it alone."""
    base = start_simulator(request_log=True)

    _, paths = await _look_up(base, http, "wsp", block=True)

    assert paths.count("/censo/consultar") >= 2  # the page and its POST (logged without a slash)
