"""Every client speaks SASL_SSL with SCRAM-SHA-512 when the settings say so: the project's own
Kafka with a SASL_SSL listener, its certificates made for the run, its user made at format time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from schemas.topics import ALL_TOPICS, CENSUS_CONTROL, CENSUS_STATUS, OPS_AUDIT
from services.common.kafka import (
    ensure_topics,
    kafka_admin,
    kafka_broker,
    kafka_consumer,
    kafka_producer,
    wait_for_kafka,
)
from services.common.kafka_security import KafkaRefused
from services.common.settings import KafkaSettings
from services.kafka_admin.topic_config import TopicDifference, topic_differences
from services.operations.cli import app as ops_app
from services.registration.adapters.outbox_store import OutboxRecord
from services.registration.outbox.publisher import KafkaPublisher
from tests.support.infra import running_kafka
from tests.support.secured_kafka import PASSWORD, SecuredKafka, other_ca_file, secured_kafka


@pytest.fixture(scope="module")
def secured(infra_dir: Path) -> Iterator[SecuredKafka]:
    kafka = secured_kafka(infra_dir)
    with running_kafka(infra_dir, kafka.node):
        yield kafka


@pytest.fixture(scope="module")
async def settings(secured: SecuredKafka) -> KafkaSettings:
    """The SASL_SSL settings, with every declared topic created through that listener."""
    settings = secured.settings()
    await wait_for_kafka(settings)
    assert sorted(await ensure_topics(settings)) == sorted(spec.name for spec in ALL_TOPICS)
    return settings


async def read_back(settings: KafkaSettings, topic: str, count: int) -> list[bytes]:
    consumer = kafka_consumer(settings, "test", topic, auto_offset_reset="earliest")
    await consumer.start()
    try:
        batches = await consumer.getmany(timeout_ms=10_000, max_records=count)
        return [record.value for records in batches.values() for record in records]
    finally:
        await consumer.stop()


async def test_a_producer_and_a_consumer_from_the_settings_round_trip_a_record(
    settings: KafkaSettings,
) -> None:
    producer = kafka_producer(settings, "test")
    await producer.start()
    try:
        await producer.send_and_wait(CENSUS_CONTROL.name, b"over SASL_SSL", key=b"wsp")
    finally:
        await producer.stop()
    assert await read_back(settings, CENSUS_CONTROL.name, 1) == [b"over SASL_SSL"]


async def test_a_faststream_broker_and_the_relay_publish_with_the_same_login(
    settings: KafkaSettings,
) -> None:
    broker = kafka_broker(settings, "test")
    await broker.start()
    try:
        await broker.publish(b"from a broker", OPS_AUDIT.name, key=b"test")
    finally:
        await broker.stop()
    relay = KafkaPublisher(settings)
    try:
        record = OutboxRecord(1, OPS_AUDIT.name, b"test", b"from the relay", {"ce_id": "1"})
        assert await relay.publish([record]) == ([1], None)
    finally:
        await relay.close()
    assert await read_back(settings, OPS_AUDIT.name, 2) == [b"from a broker", b"from the relay"]


async def test_a_faststream_subscriber_consumes_in_its_group_over_sasl_ssl(
    settings: KafkaSettings,
) -> None:
    received: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
    broker = kafka_broker(settings, "test")

    @broker.subscriber(CENSUS_STATUS.name, group_id="secured-test", auto_offset_reset="earliest")
    async def handle(body: bytes) -> None:
        if not received.done():
            received.set_result(body)

    await broker.start()
    try:
        await broker.publish(b"capacity", CENSUS_STATUS.name, key=b"capacity")
        assert await asyncio.wait_for(received, 20) == b"capacity"
    finally:
        await broker.stop()


async def test_topics_are_created_as_declared_and_the_check_names_what_differs(
    settings: KafkaSettings,
) -> None:
    admin = kafka_admin(settings, "test")
    await admin.start()
    try:
        assert await topic_differences(admin, ALL_TOPICS, settings) == []
        wanted = settings.model_copy(update={"replication_factor": 3, "min_insync_replicas": 2})
        differences = await topic_differences(admin, [OPS_AUDIT], wanted)
    finally:
        await admin.close()
    assert differences == [
        TopicDifference(OPS_AUDIT.name, "replication.factor", "3", "1"),
        TopicDifference(OPS_AUDIT.name, "min.insync.replicas", "2", "1"),
    ]


async def test_wrong_credentials_are_refused_at_once_in_one_line(secured: SecuredKafka) -> None:
    started = time.monotonic()
    with pytest.raises(KafkaRefused) as refused:
        await wait_for_kafka(secured.settings(password="not-the-password"))
    assert time.monotonic() - started < 10  # not the 20 s start-up timeout
    message = str(refused.value)
    assert "refused the SASL_SSL connection as census-worker" in message
    assert "invalid credentials" in message and "not-the-password" not in message


async def test_a_broker_certificate_from_an_unknown_ca_is_refused(
    secured: SecuredKafka, tmp_path: Path
) -> None:
    with pytest.raises(KafkaRefused, match="CERTIFICATE_VERIFY_FAILED"):
        await wait_for_kafka(secured.settings(ca_file=other_ca_file(tmp_path)))


def test_ops_commands_check_topics_and_say_a_refusal_in_one_line(
    secured: SecuredKafka, settings: KafkaSettings
) -> None:
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": settings.bootstrap_servers,
        "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
        "KAFKA_SASL_USERNAME": "census-worker",
        "KAFKA_SASL_PASSWORD": PASSWORD,
        "KAFKA_SSL_CAFILE": str(secured.ca_file),
    }
    runner = CliRunner()
    matching = runner.invoke(ops_app, ["topics", "--check"], env=env)
    assert (matching.exit_code, matching.stdout.split()[0]) == (0, str(len(ALL_TOPICS)))
    stricter = {**env, "KAFKA_REPLICATION_FACTOR": "3", "KAFKA_MIN_INSYNC_REPLICAS": "2"}
    differing = runner.invoke(ops_app, ["topics", "--check", "--json"], env=stricter)
    assert differing.exit_code == 3
    assert len(differing.stdout.splitlines()) == 2 * len(ALL_TOPICS)
    refused = runner.invoke(ops_app, ["topics"], env={**env, "KAFKA_SASL_PASSWORD": "wrong"})
    assert refused.exit_code == 1
    assert refused.stderr.count("\n") == 1 and "invalid credentials" in refused.stderr
