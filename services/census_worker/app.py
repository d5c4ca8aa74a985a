"""Composition root of the census worker: a FastStream app around the lookup service."""

from __future__ import annotations

from faststream import FastStream
from faststream.kafka import KafkaBroker

from schemas import topics
from services.census_worker.entrypoints.records import RecordHandler
from services.census_worker.entrypoints.subscribers import register_subscribers
from services.census_worker.lookup.model import CensusSource
from services.census_worker.service import ValidationService
from services.census_worker.settings import WorkerSettings
from services.common.kafka import prepare_kafka
from services.common.kafka_publisher import RecordPublisher
from services.common.settings import KafkaSettings


def make_broker(kafka: KafkaSettings, graceful_timeout_s: float) -> KafkaBroker:
    return KafkaBroker(
        kafka.bootstrap_servers,
        client_id=f"{kafka.client_id_prefix}-census-worker",
        enable_idempotence=True,
        acks="all",
        allow_auto_create_topics=False,
        graceful_timeout=graceful_timeout_s,
    )


def create_app(
    source: CensusSource,
    settings: WorkerSettings | None = None,
    kafka: KafkaSettings | None = None,
) -> FastStream:
    """Wire the worker around an already-built census `source` (its lifecycle is the caller's)."""
    settings = settings or WorkerSettings()
    kafka = kafka or KafkaSettings()
    broker = make_broker(kafka, settings.graceful_timeout_s)
    publisher = RecordPublisher(broker)
    handler = RecordHandler(
        ValidationService(source, publisher), publisher, settings.group_id, topics.WORKER_DLT.name
    )
    register_subscribers(broker, handler, settings.group_id, settings.partitions_in_parallel)
    return FastStream(broker, on_startup=[lambda: prepare_kafka(kafka)])
