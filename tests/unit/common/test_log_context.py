"""The middlewares bind the ids of what is being handled: a Kafka record's envelope ids from
FastStream's "Received" to the end of its handler, an HTTP request's id for the whole request."""

from __future__ import annotations

import uuid

import structlog
from faststream.kafka import KafkaBroker, TestKafkaBroker
from faststream.kafka.annotations import KafkaMessage
from litestar import Litestar, get
from litestar.testing import AsyncTestClient

from services.common.log_context import EnvelopeLogContext, LoggingPlugin
from services.common.logging import faststream_logger
from tests.support.events import user_registered
from tests.unit.common.conftest import JsonLines

log = structlog.get_logger("services.test")


async def test_a_consumed_record_carries_its_envelope_ids(json_lines: JsonLines) -> None:
    broker = KafkaBroker(middlewares=(EnvelopeLogContext,))

    @broker.subscriber("accounts.events", group_id="test")
    async def handle(msg: KafkaMessage) -> None:
        log.info("handled")

    event = user_registered()
    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(b"{}", "accounts.events", headers=event.headers())
    log.info("after")

    handled, after = json_lines()
    ids = {
        "event_id": str(event.event_id),
        "event_type": "UserRegistered",
        "correlation_id": str(event.correlation_id),
    }
    assert handled.items() >= ids.items()
    assert not after.keys() & ids.keys()


def test_faststream_lines_reach_the_root_handler_with_their_context(
    json_lines: JsonLines,
) -> None:
    """FastStream's "Received" / "Processed" lines (TestKafkaBroker mutes them, hence by hand)."""
    context = {"topic": "accounts.events", "group_id": "census-worker", "message_id": "12-170"}
    faststream_logger().info("Received", extra=context)

    (received,) = json_lines()
    assert received.items() >= {"event": "Received", "logger": "faststream", **context}.items()


@get("/ping", sync_to_thread=False)
def ping() -> str:
    log.info("pinged")
    return "pong"


async def test_a_request_carries_its_request_id_and_answers_with_it(json_lines: JsonLines) -> None:
    app = Litestar([ping], plugins=[LoggingPlugin()])
    async with AsyncTestClient(app) as client:
        given = await client.get("/ping", headers={"X-Request-ID": "abc-123"})
        new = await client.get("/ping")
        forged = await client.get("/ping", headers={"X-Request-ID": "x\nlevel=error"})
    log.info("after")

    assert given.headers["x-request-id"] == "abc-123"
    assert uuid.UUID(new.headers["x-request-id"])
    assert uuid.UUID(forged.headers["x-request-id"])
    pings = [line for line in json_lines() if line["event"] in {"pinged", "after"}]
    assert [line.get("request_id") for line in pings] == [
        "abc-123",
        new.headers["x-request-id"],
        forged.headers["x-request-id"],
        None,
    ]
