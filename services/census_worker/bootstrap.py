"""Composition root of the census worker: builds its collaborators from settings at start-up.

`open_source_with_metrics` brings the lookup up (Chromium, captcha, token pool) with its metrics and
their endpoint; `wire_worker` puts the use case between a census source and Kafka. Nothing is
built at import.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer
from faststream.kafka import KafkaBroker

from schemas import topics
from services.census_worker.adapters.coalescing import CoalescingSource
from services.census_worker.adapters.metrics import MeteredSource, WorkerMetrics
from services.census_worker.adapters.politeness import HostThrottle, PoliteSource
from services.census_worker.domain.model import CensusSource
from services.census_worker.domain.retries import RetryPolicy
from services.census_worker.entrypoints.metrics_http import serving_metrics
from services.census_worker.entrypoints.records import RecordHandler
from services.census_worker.entrypoints.retry_consumer import RetryConsumer
from services.census_worker.entrypoints.subscribers import register_subscribers
from services.census_worker.lookup.factory import LookupStack, open_lookup_stack
from services.census_worker.service_layer.validation import ValidationService
from services.census_worker.settings import LookupSettings, WorkerSettings
from services.common.kafka import kafka_broker, kafka_consumer
from services.common.kafka_publisher import RecordPublisher
from services.common.log_context import EnvelopeLogContext
from services.common.logging import faststream_logger
from services.common.settings import KafkaSettings

OpenStack = Callable[[LookupSettings], contextlib.AbstractAsyncContextManager[LookupStack]]


@dataclass(frozen=True)
class Worker:
    """The wired worker: its broker (subscribers registered) and the consumer of retry topics."""

    broker: KafkaBroker
    retries: RetryConsumer


def wire_worker(
    source: CensusSource, settings: WorkerSettings, kafka: KafkaSettings, metrics: WorkerMetrics
) -> Worker:
    """The use case around `source`, fed by the input and retry topics, publishing on Kafka."""
    broker = make_broker(kafka, settings.graceful_timeout_s)
    publisher = RecordPublisher(broker, settings.group_id)
    service = ValidationService(
        guarded_source(source, settings, metrics),
        publisher,
        RetryPolicy(settings.retry_delays_s, settings.max_attempts),
    )
    handler = RecordHandler(service, publisher, topics.WORKER_DLT.name, metrics)
    register_subscribers(broker, handler, settings.group_id, settings.partitions_in_parallel)
    retry_topics = [spec.name for spec in topics.WORKER_RETRIES]
    retries = RetryConsumer(lambda: retry_consumer(kafka, settings), retry_topics, handler)
    return Worker(broker, retries)


def retry_consumer(kafka: KafkaSettings, settings: WorkerSettings) -> AIOKafkaConsumer:
    """The retry topics' own consumer (own group): it pauses partitions whose head is not due."""
    return kafka_consumer(
        kafka,
        "census-worker-retry",
        group_id=f"{settings.group_id}-retry",
        auto_offset_reset="earliest",
    )


def make_broker(kafka: KafkaSettings, graceful_timeout_s: float) -> KafkaBroker:
    return kafka_broker(
        kafka,
        "census-worker",
        graceful_timeout=graceful_timeout_s,
        logger=faststream_logger(),
        middlewares=(EnvelopeLogContext,),
    )


def guarded_source(
    source: CensusSource, settings: WorkerSettings, metrics: WorkerMetrics
) -> CensusSource:
    """Coalescing outside politeness (a shared or recent answer never waits for the host);
    metering innermost, so it times the lookup itself and not the wait for a turn."""
    throttle = HostThrottle(
        settings.min_interval_s, settings.blocked_cooldown_s, settings.blocked_cooldown_max_s
    )
    metered = MeteredSource(source, metrics)
    return CoalescingSource(PoliteSource(metered, throttle), settings.coalesce_window_s)


@contextlib.asynccontextmanager
async def open_source_with_metrics(
    lookup: LookupSettings,
    settings: WorkerSettings,
    metrics: WorkerMetrics,
    open_stack: OpenStack = open_lookup_stack,
) -> AsyncIterator[CensusSource]:
    """The configured census source, its browser and token pool watched by `metrics`, which are
    served on `settings.metrics_port` while it is open."""
    async with open_stack(lookup) as stack:
        watch_lookup_stack(metrics, stack)
        with serving_metrics(metrics, settings.metrics_host, settings.metrics_port):
            yield stack.source


def watch_lookup_stack(metrics: WorkerMetrics, stack: LookupStack) -> None:
    pool = stack.token_pool
    metrics.watch(lambda: stack.browser.launches, lambda: pool.ready if pool else 0)
