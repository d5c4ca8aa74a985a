"""The consultacenso lookup in real Chromium against the simulator: answers and failures."""

from __future__ import annotations

import httpx
import pytest

from infra.registraduria_sim import outcome_for
from schemas.census import CensusStatus, VotingPlace
from services.census_worker.lookup.browser.manager import BrowserManager
from services.census_worker.lookup.factory import open_census_source
from tests.integration.census_worker.support import (
    StartSimulator,
    consultacenso_source,
    lookup_settings,
)

FOUND, NOT_FOUND, DECEASED, DOUBLE_ID = "1102812122", "1000000001", "17100200", "1098765432"
CAPTCHA_REFUSED = "99000006"


@pytest.mark.parametrize("upper_keys", [False, True])
async def test_found_cedula_is_active_with_its_voting_place(
    start_simulator: StartSimulator,
    shared_browser: BrowserManager,
    http: httpx.AsyncClient,
    upper_keys: bool,
) -> None:
    base = start_simulator(consultacenso_upper_keys=upper_keys)

    result = await consultacenso_source(base, shared_browser, http).lookup(FOUND)

    assert result.status is CensusStatus.ACTIVE, result.reason
    expected = outcome_for(FOUND).place
    assert expected is not None
    assert result.voting_place == VotingPlace(**expected.model_dump())
    assert result.source == "consultacenso"


async def test_cedula_not_in_census_is_not_found(
    simulator_url: str, shared_browser: BrowserManager, http: httpx.AsyncClient
) -> None:
    result = await consultacenso_source(simulator_url, shared_browser, http).lookup(NOT_FOUND)

    assert result.status is CensusStatus.NOT_FOUND, result.reason


async def test_novedad_of_death_is_cancelled_deceased(
    simulator_url: str, shared_browser: BrowserManager, http: httpx.AsyncClient
) -> None:
    result = await consultacenso_source(simulator_url, shared_browser, http).lookup(DECEASED)

    assert result.status is CensusStatus.CANCELLED_DECEASED, result.reason
    assert result.novedad is not None
    assert (result.novedad.resolucion, result.novedad.fecha) == ("4521", "15/03/2019")
    assert result.novedad.novedad.startswith("CANCELADA POR MUERTE")


async def test_other_novedad_is_cancelled_other(
    simulator_url: str, shared_browser: BrowserManager, http: httpx.AsyncClient
) -> None:
    result = await consultacenso_source(simulator_url, shared_browser, http).lookup(DOUBLE_ID)

    assert result.status is CensusStatus.CANCELLED_OTHER
    assert result.novedad is not None and "DOBLE CEDULACIÓN" in result.novedad.novedad


@pytest.mark.parametrize("on_get", [False, True])
async def test_firewall_page_is_blocked(
    start_simulator: StartSimulator,
    shared_browser: BrowserManager,
    http: httpx.AsyncClient,
    on_get: bool,
) -> None:
    base = start_simulator(firewall_rate=1.0, firewall_on_get=on_get, firewall_status=500)

    result = await consultacenso_source(base, shared_browser, http).lookup(FOUND)

    assert result.status is CensusStatus.BLOCKED
    assert result.raw_response and "evento de seguridad" in result.raw_response


async def test_upstream_timeout_is_timeout(
    start_simulator: StartSimulator, shared_browser: BrowserManager, http: httpx.AsyncClient
) -> None:
    base = start_simulator(upstream_timeout_rate=1.0)

    result = await consultacenso_source(base, shared_browser, http).lookup(FOUND)

    assert result.status is CensusStatus.TIMEOUT
    assert "Tiempo de espera" in (result.raw_response or "")


async def test_hanging_api_is_timeout_within_the_page_timeout(
    start_simulator: StartSimulator, http: httpx.AsyncClient
) -> None:
    base = start_simulator(hang_rate=1.0, hang_s=5.0)
    browser = BrowserManager(lookup_settings(base, page_timeout_s=1.5))
    try:
        result = await consultacenso_source(base, browser, http).lookup(FOUND)
    finally:
        await browser.stop()

    assert result.status is CensusStatus.TIMEOUT and "in time" in (result.reason or "")


async def test_captcha_refused_by_the_site_is_blocked(
    simulator_url: str, shared_browser: BrowserManager, http: httpx.AsyncClient
) -> None:
    source = consultacenso_source(simulator_url, shared_browser, http)

    result = await source.lookup(CAPTCHA_REFUSED)

    assert result.status is CensusStatus.BLOCKED and "captcha" in (result.reason or "")


async def test_page_that_keeps_failing_is_an_error(
    start_simulator: StartSimulator, shared_browser: BrowserManager, http: httpx.AsyncClient
) -> None:
    base = start_simulator(get_error_rate=1.0)

    result = await consultacenso_source(base, shared_browser, http).lookup(FOUND)

    assert result.status is CensusStatus.ERROR and "HTTP 500" in (result.reason or "")


async def test_source_setting_builds_the_consultacenso_source(simulator_url: str) -> None:
    settings = lookup_settings(simulator_url, source="consultacenso", captcha_pool_size=1)

    async with open_census_source(settings) as source:
        result = await source.lookup(FOUND)

    assert source.name == "consultacenso"
    assert result.status is CensusStatus.ACTIVE, result.reason
