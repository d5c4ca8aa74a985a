"""Runs the census worker process: the lookup stack, then the Kafka app around it."""

from __future__ import annotations

from services.census_worker.app import create_app
from services.census_worker.lookup.factory import open_census_source
from services.census_worker.settings import LookupSettings, WorkerSettings
from services.common.settings import KafkaSettings


async def run_worker(
    lookup: LookupSettings | None = None,
    worker: WorkerSettings | None = None,
    kafka: KafkaSettings | None = None,
) -> None:
    async with open_census_source(lookup or LookupSettings()) as source:
        await create_app(source, worker, kafka).run()
