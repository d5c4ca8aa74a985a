"""The ACL set on the project's own Kafka with SASL (SCRAM) and the StandardAuthorizer on: applied
twice by `censo infra kafka-acls` (the second time adds nothing), then each service's principal
may do its job and nothing the set does not grant."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiokafka.errors import GroupAuthorizationFailedError, TopicAuthorizationFailedError
from pydantic import SecretStr
from typer.testing import CliRunner

from infra.cli import app as infra_app
from infra.local.kafka import KafkaNode
from schemas.topics import (
    ACCOUNTS,
    ALL_TOPICS,
    CENSUS_RESULTS,
    CENSUS_STATUS,
    VALIDATION_REQUESTS,
    WORKER_DLT,
    WORKER_RETRIES,
)
from services.common.kafka import kafka_broker, kafka_consumer, kafka_producer, wait_for_kafka
from services.common.kafka_acl_admin import apply_acls
from services.common.kafka_acls import ACL_SET, OPERATOR, PRINCIPALS, RELAY, WEB, WORKER
from services.common.settings import KafkaSettings
from services.registration.adapters.outbox_store import OutboxRecord
from services.registration.outbox.publisher import KafkaPublisher
from tests.support.infra import free_port, running_kafka

MECHANISM = "SCRAM-SHA-512"
ADMIN = "User:censo-admin"
PASSWORD = "Acl-Test-Secret-2026"


def _user(principal: str) -> str:
    return principal.removeprefix("User:")


@pytest.fixture(scope="module")
def sasl_port(infra_dir: Path) -> Iterator[int]:
    """A node whose SASL_PLAINTEXT listener authorizes every request; its PLAINTEXT listener
    (brokers and controllers among themselves, ANONYMOUS) is a super user, as is the admin."""
    port = free_port()
    users = [ADMIN, *PRINCIPALS]
    scram = [f"{MECHANISM}=[name={_user(user)},password={PASSWORD}]" for user in users]
    node = KafkaNode(
        infra_dir / f"kafka-acls-{uuid.uuid4().hex[:8]}",
        free_port(),
        free_port(),
        extra_listeners={"SASL_PLAINTEXT": port},
        extra_properties={
            "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            "super.users": f"{ADMIN};User:ANONYMOUS",
            "sasl.enabled.mechanisms": MECHANISM,
            "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config": (
                "org.apache.kafka.common.security.scram.ScramLoginModule required;"
            ),
        },
        format_options=tuple(option for line in scram for option in ("--add-scram", line)),
    )
    with running_kafka(infra_dir, node):
        yield port


def settings_of(port: int, principal: str) -> KafkaSettings:
    return KafkaSettings(
        bootstrap_servers=f"127.0.0.1:{port}",
        security_protocol="SASL_PLAINTEXT",
        sasl_mechanism=MECHANISM,
        sasl_username=_user(principal),
        sasl_password=SecretStr(PASSWORD),
        startup_timeout_s=30,
    )


def env_of(port: int, principal: str) -> dict[str, str]:
    return {
        "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{port}",
        "KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
        "KAFKA_SASL_MECHANISM": MECHANISM,
        "KAFKA_SASL_USERNAME": _user(principal),
        "KAFKA_SASL_PASSWORD": PASSWORD,
    }


@pytest.fixture(scope="module")
def applied(sasl_port: int) -> int:
    """Topics created and the ACLs applied by the admin, through the command line."""
    asyncio.run(wait_for_kafka(settings_of(sasl_port, ADMIN)))
    runner = CliRunner()
    created = runner.invoke(infra_app, ["kafka-topics"], env=env_of(sasl_port, ADMIN))
    said = created.stdout.splitlines()[-1]  # after the log line
    assert said.startswith(f"{len(ALL_TOPICS)} topics created: "), created.output
    first = runner.invoke(infra_app, ["kafka-acls"], env=env_of(sasl_port, ADMIN))
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[0] == f"{len(ACL_SET)} ACLs added, 0 already there"
    return sasl_port


async def test_applying_the_set_again_adds_nothing(applied: int) -> None:
    report = await apply_acls(settings_of(applied, ADMIN))
    assert (report.added, len(report.present), report.outside) == ([], len(ACL_SET), [])


def test_a_principal_that_is_no_super_user_cannot_apply_them(applied: int) -> None:
    refused = CliRunner().invoke(infra_app, ["kafka-acls"], env=env_of(applied, OPERATOR))
    assert refused.exit_code == 1
    assert refused.stderr == (
        "Kafka refused to list the ACLs: ClusterAuthorizationFailedError"
        " (log in as a principal of super.users)\n"
    )


async def produce(port: int, principal: str, topic: str) -> None:
    producer = kafka_producer(settings_of(port, principal), "test", request_timeout_ms=10_000)
    await producer.start()
    try:
        await producer.send_and_wait(topic, b"record", key=b"key")
    finally:
        await producer.stop()


async def test_the_webs_principal_cannot_produce_account_events(applied: int) -> None:
    with pytest.raises(TopicAuthorizationFailedError):
        await produce(applied, WEB, ACCOUNTS.name)


async def test_the_workers_principal_writes_census_topics_but_not_account_events(
    applied: int,
) -> None:
    for topic in (CENSUS_RESULTS, WORKER_RETRIES[0], WORKER_DLT, CENSUS_STATUS):
        await produce(applied, WORKER, topic.name)
    with pytest.raises(TopicAuthorizationFailedError):
        await produce(applied, WORKER, ACCOUNTS.name)


async def test_only_the_relay_and_operators_write_account_events(applied: int) -> None:
    await produce(applied, RELAY, ACCOUNTS.name)
    await produce(applied, OPERATOR, ACCOUNTS.name)


async def consume_in_group(port: int, principal: str, topic: str, group: str) -> int:
    """Read `topic` from its start in `group` and commit: how many records were read."""
    consumer = kafka_consumer(
        settings_of(port, principal), "test", topic, group_id=group, auto_offset_reset="earliest"
    )
    try:
        await consumer.start()
        batches = await consumer.getmany(timeout_ms=10_000)
        await consumer.commit()
        return sum(len(records) for records in batches.values())
    finally:
        await consumer.stop()


async def test_each_services_consumer_group_works_for_its_principal(applied: int) -> None:
    await produce(applied, RELAY, VALIDATION_REQUESTS.name)
    await produce(applied, WORKER, CENSUS_RESULTS.name)
    assert await consume_in_group(applied, WORKER, VALIDATION_REQUESTS.name, "census-worker") >= 1
    assert await consume_in_group(applied, WEB, CENSUS_RESULTS.name, "web-projector") >= 1
    assert await consume_in_group(applied, OPERATOR, CENSUS_RESULTS.name, "ops-inspect") >= 1


async def test_a_service_cannot_join_another_services_group(applied: int) -> None:
    with pytest.raises(GroupAuthorizationFailedError):
        await consume_in_group(applied, WEB, VALIDATION_REQUESTS.name, "census-worker")


async def test_the_relays_own_publisher_sends_account_events_as_its_principal(
    applied: int,
) -> None:
    settings = settings_of(applied, RELAY).model_copy(update={"create_topics": False})
    relay = KafkaPublisher(settings)
    try:
        record = OutboxRecord(1, ACCOUNTS.name, b"user", b"from the relay", {"ce_id": "1"})
        assert await relay.publish([record]) == ([1], None)
    finally:
        await relay.close()


async def test_the_webs_faststream_subscriber_consumes_in_the_projectors_group(
    applied: int,
) -> None:
    received: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
    broker = kafka_broker(settings_of(applied, WEB), "test")

    @broker.subscriber(CENSUS_RESULTS.name, group_id="web-projector", auto_offset_reset="earliest")
    async def handle(body: bytes) -> None:
        if not received.done():
            received.set_result(body)

    await broker.start()
    try:
        await produce(applied, WORKER, CENSUS_RESULTS.name)
        assert await asyncio.wait_for(received, 30) == b"record"
    finally:
        await broker.stop()
