"""Fixtures shared by the integration suites."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from faststream import FastStream

from services.census_worker.app import create_app
from services.census_worker.settings import WorkerSettings
from services.common.kafka import ensure_topics
from services.common.settings import KafkaSettings
from tests.support.fakes import ScriptedSource
from tests.support.kafka import start_group_at_end, worker_groups, worker_topics

StartWorker = Callable[..., Awaitable[FastStream]]  # (source, **settings overrides)


@pytest.fixture
async def start_worker(
    kafka_bootstrap: str, create_database: Callable[[str], str]
) -> AsyncIterator[StartWorker]:
    """Start in-process census workers around scripted sources; fast retries, no politeness
    (an interval of 0, on a worker database of their own), every request looked up unless a
    test overrides `fresh_for`."""
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    await ensure_topics(kafka)
    apps: list[FastStream] = []

    async def start(source: ScriptedSource, **overrides: Any) -> FastStream:
        group = f"worker-{secrets.token_hex(4)}"
        for name in worker_groups(group):
            await start_group_at_end(kafka_bootstrap, name, worker_topics())
        settings = WorkerSettings(
            group_id=group,
            retry_delays_s=(0.05, 0.1, 0.2),
            max_attempts=3,
            min_interval_s=0,
            blocked_cooldown_s=0,
            fresh_for=0,
            partitions_in_parallel=2,
            database_url=create_database("census_worker"),
        ).model_copy(update=overrides)
        app = create_app([source], settings, kafka)
        await app.start()
        apps.append(app)
        return app

    yield start
    for app in apps:
        await app.stop()
