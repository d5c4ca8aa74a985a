"""Fault-injection scenarios against the real processes (docs/reliability.md is made from them).

Every test here is marked `chaos`. `make test` runs them at their quick sizes; `make chaos` runs
only them, at full sizes (RELIABILITY_FULL=1); RELIABILITY_<NAME> overrides one size. A scenario
marked `chaos_only` is too long even at its quick size to be in every `make test` (CI has a time
budget): only `make chaos` runs it.
Each test fills a ScenarioResult that is written to tests/reliability/results/ when it ends.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.common.kafka import ensure_topics
from services.common.settings import KafkaSettings
from tests.reliability.support import FULL, ScenarioResult, StoppableKafka, StoppablePostgres
from tests.support.infra import running_kafka

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.chaos)
            if item.get_closest_marker("chaos_only") and not FULL:
                item.add_marker(pytest.mark.skip(reason="a long scenario: `make chaos` runs it"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[_PASSED] = report.passed


_PASSED = pytest.StashKey[bool]()


@pytest.fixture
def scenario(request: pytest.FixtureRequest) -> Iterator[ScenarioResult]:
    """The test's result record: named after the test, written when the test ends."""
    name = request.node.name.removeprefix("test_")
    doc = (request.node.function.__doc__ or name).strip().splitlines()[0]
    result = ScenarioResult(scenario=name, title=doc, test=request.node.nodeid)
    started = time.monotonic()
    yield result
    result.duration_s = round(time.monotonic() - started, 1)
    result.passed = request.node.stash.get(_PASSED, False)
    result.write()


@pytest.fixture(scope="package")
def reliability_kafka(infra_dir: Path) -> Iterator[str]:
    """A Kafka node for the scenarios that do not stop it (the session node stays untouched)."""
    with running_kafka(infra_dir) as node:
        asyncio.run(ensure_topics(KafkaSettings(bootstrap_servers=node.bootstrap_servers)))
        yield node.bootstrap_servers


@pytest.fixture
def stoppable_kafka(tmp_path: Path) -> Iterator[StoppableKafka]:
    """A Kafka node this test alone uses, and may stop."""
    kafka = StoppableKafka.under(tmp_path)
    kafka.start()
    try:
        yield kafka
    finally:
        kafka.stop()


@pytest.fixture
def stoppable_postgres(infra_dir: Path) -> Iterator[StoppablePostgres]:
    """A PostgreSQL cluster this test alone uses, and may stop."""
    postgres = StoppablePostgres.under(infra_dir)
    postgres.start()
    try:
        yield postgres
    finally:
        postgres.stop()
