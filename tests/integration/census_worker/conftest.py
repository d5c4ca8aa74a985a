"""Fixtures of the lookup's integration tests: simulators on free ports and Chromium managers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from typing import Any

import httpx
import pytest

from infra.registraduria_sim import SimulatorSettings
from services.census_worker.lookup.browser.manager import BrowserManager
from tests.integration.census_worker.simulator import serving_simulator
from tests.integration.census_worker.support import StartSimulator, lookup_settings


@pytest.fixture(scope="session")
def start_simulator() -> Iterator[StartSimulator]:
    """`start_simulator(firewall_rate=1.0)` → base URL of a simulator with those settings."""
    running: dict[tuple, str] = {}
    with ExitStack() as stack:

        def start(**overrides: Any) -> str:
            key = tuple(sorted(overrides.items()))
            if key not in running:
                settings = SimulatorSettings(_env_file=None, **overrides)  # type: ignore[call-arg]
                running[key] = stack.enter_context(serving_simulator(settings))
            return running[key]

        yield start


@pytest.fixture(scope="session")
def simulator_url(start_simulator: StartSimulator) -> str:
    """A simulator without faults."""
    return start_simulator()


@pytest.fixture(scope="session")
async def shared_browser(simulator_url: str) -> AsyncIterator[BrowserManager]:
    """One Chromium for the tests that do not need a browser of their own."""
    manager = BrowserManager(lookup_settings(simulator_url))
    yield manager
    await manager.stop()


@pytest.fixture(scope="session")
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client
