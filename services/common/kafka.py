"""Kafka plumbing shared by the services: the one factory of each kind of client, readiness and
topic creation.

Every client is built here from `KafkaSettings`, so how to reach the cluster (addresses, client
ids, TLS and SASL from `kafka_security`) is decided in one place; callers pass only what their use
differs in.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable, Iterator
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError, KafkaError
from faststream.kafka import KafkaBroker

from schemas.envelope import Event, encode_event
from schemas.topics import ALL_TOPICS, TopicSpec
from services.common.kafka_security import broker_security, client_security, raise_if_refused
from services.common.kafka_topics import declared_configs, raise_for_refusals
from services.common.settings import KafkaSettings

log = structlog.get_logger(__name__)


class KafkaUnavailable(RuntimeError):
    """Kafka did not answer within the start-up timeout."""


def _address(settings: KafkaSettings, client_name: str) -> dict[str, Any]:
    """Where the cluster is and who is calling."""
    return {
        "bootstrap_servers": settings.bootstrap_servers,
        "client_id": f"{settings.client_id_prefix}-{client_name}",
    }


def _client_options(settings: KafkaSettings, client_name: str) -> dict[str, Any]:
    """What every aiokafka client shares: the address and the TLS/SASL login."""
    return _address(settings, client_name) | client_security(settings)


def kafka_broker(settings: KafkaSettings, client_name: str, **overrides: Any) -> KafkaBroker:
    """A FastStream broker whose publishers are idempotent with acks=all (no duplicate or
    reordered records on retry) and that never creates a topic by using it."""
    options: dict[str, Any] = {
        "enable_idempotence": True,
        "acks": "all",
        "allow_auto_create_topics": False,
    }
    security = broker_security(settings)
    return KafkaBroker(**_address(settings, client_name), security=security, **options | overrides)


def kafka_producer(settings: KafkaSettings, client_name: str, **overrides: Any) -> AIOKafkaProducer:
    """An idempotent producer with acks=all: no duplicate or reordered records on retry."""
    options: dict[str, Any] = {"enable_idempotence": True, "acks": "all", "linger_ms": 2}
    return AIOKafkaProducer(**_client_options(settings, client_name), **options | overrides)


def kafka_admin(settings: KafkaSettings, client_name: str, **overrides: Any) -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(**_client_options(settings, client_name), **overrides)


def kafka_consumer(
    settings: KafkaSettings, client_name: str, *topics: str, **overrides: Any
) -> AIOKafkaConsumer:
    """A consumer of `topics` (or of partitions assigned later) that commits only when told:
    every consumer of the house commits after the record's outcome is safe."""
    options: dict[str, Any] = {"enable_auto_commit": False}
    return AIOKafkaConsumer(
        *topics, **_client_options(settings, client_name), **options | overrides
    )


async def wait_for_kafka(settings: KafkaSettings) -> None:
    """Block until the cluster answers a metadata request, or raise KafkaUnavailable."""
    # While the broker starts, every refused connection is an aiokafka ERROR line: say it once.
    with _quiet("aiokafka"):
        await _probe_until_ready(settings)
    log.info("kafka.ready", bootstrap_servers=settings.bootstrap_servers)


@contextlib.contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    logger = logging.getLogger(logger_name)
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(previous)


async def _probe_until_ready(settings: KafkaSettings) -> None:
    deadline = time.monotonic() + settings.startup_timeout_s
    delay = 0.2
    attempts = 0
    while True:
        admin = kafka_admin(settings, "probe")
        try:
            await start_client(admin, settings)
            await admin.list_topics()
            return
        except (KafkaConnectionError, KafkaError, OSError) as exc:
            attempts += 1
            if attempts == 1:
                log.info("kafka.waiting", bootstrap_servers=settings.bootstrap_servers)
            if time.monotonic() > deadline:
                raise KafkaUnavailable(
                    f"Kafka at {settings.bootstrap_servers} did not answer in "
                    f"{settings.startup_timeout_s:.0f} s: {exc}"
                ) from exc
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)
        finally:
            await admin.close()


async def start_client(
    client: AIOKafkaAdminClient | AIOKafkaConsumer | AIOKafkaProducer, settings: KafkaSettings
) -> None:
    """Start `client`; a cluster that refuses our TLS or SASL login raises KafkaRefused at once
    (aiokafka only says it could not bootstrap, and waiting would not change the answer)."""
    try:
        await client.start()
    except KafkaConnectionError:
        await raise_if_refused(settings)
        raise


async def ensure_topics(
    settings: KafkaSettings, specs: Iterable[TopicSpec] = ALL_TOPICS
) -> list[str]:
    """Create the declared topics that are missing; return the names created. Existing topics
    are left as they are (`censo ops topics --check` reports how they differ)."""
    admin = kafka_admin(settings, "admin")
    await start_client(admin, settings)
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(
                name=spec.name,
                num_partitions=spec.partitions,
                replication_factor=settings.replication_factor,
                topic_configs=declared_configs(spec, settings),
            )
            for spec in specs
            if spec.name not in existing
        ]
        if missing:
            raise_for_refusals(await admin.create_topics(missing))
            log.info("kafka.topics_created", topics=[t.name for t in missing])
        return [t.name for t in missing]
    finally:
        await admin.close()


async def prepare_kafka(settings: KafkaSettings) -> None:
    """Wait for the cluster and create missing topics when settings allow it."""
    await wait_for_kafka(settings)
    if settings.create_topics:
        await ensure_topics(settings)


async def publish_event(producer: AIOKafkaProducer, event: Event, topic: str | None = None) -> None:
    """Send one event and wait until the broker has it."""
    await send_record(producer, topic or event.destination, encode_event(event))


async def send_record(
    producer: AIOKafkaProducer, topic: str, record: tuple[bytes, bytes, dict[str, str]]
) -> None:
    """Send one encoded (or sealed) event and wait until the broker has it."""
    key, value, headers = record
    await producer.send_and_wait(
        topic,
        value=value,
        key=key,
        headers=[(name, text.encode()) for name, text in headers.items()],
    )
