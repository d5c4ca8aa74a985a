"""Composition root of the census worker: a FastStream app around the lookup service."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer
from faststream import FastStream
from faststream.kafka import KafkaBroker

from schemas import topics
from services.census_worker.coalescing import CoalescingSource
from services.census_worker.entrypoints.records import RecordHandler
from services.census_worker.entrypoints.retry_consumer import RetryConsumer
from services.census_worker.entrypoints.subscribers import register_subscribers
from services.census_worker.lookup.model import CensusSource
from services.census_worker.metrics import MeteredSource, WorkerMetrics
from services.census_worker.politeness import HostThrottle, PoliteSource
from services.census_worker.retries import RetryPolicy
from services.census_worker.service import ValidationService
from services.census_worker.settings import WorkerSettings
from services.common.kafka import prepare_kafka
from services.common.kafka_publisher import RecordPublisher
from services.common.log_context import EnvelopeLogContext
from services.common.logging import faststream_logger
from services.common.settings import KafkaSettings


def make_broker(kafka: KafkaSettings, graceful_timeout_s: float) -> KafkaBroker:
    return KafkaBroker(
        kafka.bootstrap_servers,
        client_id=f"{kafka.client_id_prefix}-census-worker",
        enable_idempotence=True,
        acks="all",
        allow_auto_create_topics=False,
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


def create_app(
    source: CensusSource,
    settings: WorkerSettings | None = None,
    kafka: KafkaSettings | None = None,
    metrics: WorkerMetrics | None = None,
) -> FastStream:
    """Wire the worker around an already-built census `source` (its lifecycle is the caller's)."""
    settings = settings or WorkerSettings()
    kafka = kafka or KafkaSettings()
    metrics = metrics or WorkerMetrics()
    broker = make_broker(kafka, settings.graceful_timeout_s)
    publisher = RecordPublisher(broker, settings.group_id)
    service = ValidationService(
        guarded_source(source, settings, metrics),
        publisher,
        RetryPolicy(settings.retry_delays_s, settings.max_attempts),
    )
    handler = RecordHandler(service, publisher, topics.WORKER_DLT.name, metrics)
    register_subscribers(broker, handler, settings.group_id, settings.partitions_in_parallel)
    retries = RetryConsumer(
        AIOKafkaConsumer(
            bootstrap_servers=kafka.bootstrap_servers,
            client_id=f"{kafka.client_id_prefix}-census-worker-retry",
            group_id=f"{settings.group_id}-retry",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
        ),
        [spec.name for spec in topics.WORKER_RETRIES],
        handler,
    )

    async def wait_for_kafka() -> None:
        await prepare_kafka(kafka)

    return FastStream(
        broker,
        on_startup=[wait_for_kafka],
        after_startup=[retries.start],
        on_shutdown=[retries.stop],
    )
