"""The `wsp` lookup in real Chromium against the simulator: the census's answers."""

from __future__ import annotations

import httpx
import pytest

from infra.registraduria_sim import outcome_for
from schemas.census import CensusStatus, Novedad, VotingPlace
from services.census_worker.lookup.browser.manager import BrowserManager
from tests.integration.census_worker.support import (
    StartSimulator,
    first_request_answered,
    lookup_settings,
    wsp_source,
)

FOUND, NOT_FOUND, DECEASED, DOUBLE_ID = "1102812122", "1000000001", "17100200", "1098765432"


async def test_found_cedula_is_active_with_its_voting_place(
    simulator_url: str, shared_browser: BrowserManager, http: httpx.AsyncClient
) -> None:
    result = await wsp_source(simulator_url, shared_browser, http).lookup(FOUND)

    assert result.status is CensusStatus.ACTIVE, result.reason
    expected = outcome_for(FOUND).place
    assert expected is not None
    assert result.voting_place == VotingPlace(**expected.model_dump())
    assert result.voting_place.municipio == "SINCELEJO" and result.voting_place.mesa == "13"


@pytest.mark.parametrize("as_success", [True, False])
async def test_cedula_not_in_census_is_not_found(
    start_simulator: StartSimulator,
    shared_browser: BrowserManager,
    http: httpx.AsyncClient,
    as_success: bool,
) -> None:
    base = start_simulator(not_found_as_success=as_success)

    result = await wsp_source(base, shared_browser, http).lookup(NOT_FOUND)

    assert result.status is CensusStatus.NOT_FOUND, result.reason


async def test_novedad_of_death_is_cancelled_deceased(
    simulator_url: str, shared_browser: BrowserManager, http: httpx.AsyncClient
) -> None:
    result = await wsp_source(simulator_url, shared_browser, http).lookup(DECEASED)

    assert result.status is CensusStatus.CANCELLED_DECEASED, result.reason
    assert result.novedad == Novedad(
        novedad="CANCELADA POR MUERTE", resolucion="4521", fecha="15/03/2019"
    )


async def test_other_novedad_is_cancelled_other(
    simulator_url: str, shared_browser: BrowserManager, http: httpx.AsyncClient
) -> None:
    result = await wsp_source(simulator_url, shared_browser, http).lookup(DOUBLE_ID)

    assert result.status is CensusStatus.CANCELLED_OTHER
    assert result.novedad is not None and "DOBLE" in result.novedad.novedad


async def test_reload_request_is_followed_by_a_fresh_page_and_a_new_answer(
    simulator_url: str, http: httpx.AsyncClient
) -> None:
    reload_once = first_request_answered("POST", 200, '{"success": false, "reload": true}')
    browser = BrowserManager(lookup_settings(simulator_url), preparers=[reload_once])
    try:
        result = await wsp_source(simulator_url, browser, http).lookup(FOUND)
    finally:
        await browser.stop()

    assert result.status is CensusStatus.ACTIVE, result.reason


async def test_a_flaky_500_on_the_page_is_retried_once(
    simulator_url: str, http: httpx.AsyncClient
) -> None:
    flaky_get = first_request_answered("GET", 500, "<html>Internal Server Error</html>")
    browser = BrowserManager(lookup_settings(simulator_url), preparers=[flaky_get])
    try:
        result = await wsp_source(simulator_url, browser, http).lookup(FOUND)
    finally:
        await browser.stop()

    assert result.status is CensusStatus.ACTIVE, result.reason
