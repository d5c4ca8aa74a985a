"""Subscriber wiring through FastStream's in-memory `TestKafkaBroker`: what is published on the
input topics reaches the record handler, and the wired worker answers on the results topic."""

from __future__ import annotations

from aiokafka.structs import ConsumerRecord
from faststream.kafka import KafkaBroker, TestKafkaBroker
from faststream.kafka.annotations import KafkaMessage

from schemas import topics
from schemas.envelope import decode_event, encode_event
from schemas.events import (
    EVENT_TYPES,
    ValidationReason,
    ValidationRequested,
    ValidationRequestedData,
)
from services.census_worker.adapters.metrics import WorkerMetrics
from services.census_worker.bootstrap import make_broker, wire_worker
from services.census_worker.domain.turns import Lane
from services.census_worker.entrypoints.subscribers import INPUT_LANES, register_subscribers
from services.census_worker.settings import WorkerSettings
from services.common.settings import KafkaSettings
from tests.support.events import user_registered
from tests.support.fakes import ScriptedSource
from tests.support.turns import fake_stores

KAFKA = KafkaSettings(bootstrap_servers="127.0.0.1:9")  # never dialled: the broker is in memory
FAST = WorkerSettings(min_interval_s=0, blocked_cooldown_s=0, fresh_for=0, metrics_port=0)


class RecordingHandler:
    def __init__(self) -> None:
        self.records: list[ConsumerRecord] = []

    async def handle(self, record: ConsumerRecord) -> None:
        self.records.append(record)


def validation_requested(
    reason: ValidationReason = ValidationReason.REFRESH,
) -> ValidationRequested:
    registered = user_registered("52123456")
    return ValidationRequested(
        producer="tests",
        data=ValidationRequestedData(
            user_id=registered.data.user_id,
            cedula="52123456",
            requested_by=registered.data.user_id,
            reason=reason,
        ),
    )


def collect(broker: KafkaBroker, topic: str) -> list[bytes]:
    """What the worker publishes on `topic` (subscribed before the test broker starts)."""
    seen: list[bytes] = []

    @broker.subscriber(topic, group_id="test-observer")
    async def observe(msg: KafkaMessage) -> None:
        seen.append(msg.raw_message.value or b"")

    return seen


async def test_each_input_topic_reaches_the_handler_of_its_lane() -> None:
    broker = make_broker(KAFKA, 1.0)
    interactive, bulk = RecordingHandler(), RecordingHandler()
    handlers = {
        topic: interactive if lane is Lane.INTERACTIVE else bulk
        for topic, lane in INPUT_LANES.items()
    }
    register_subscribers(broker, handlers, "census-worker-test", workers=2)  # type: ignore[arg-type]  # a recording stand-in
    registered = user_registered()
    refresh = validation_requested()
    revalidation = validation_requested(ValidationReason.REVALIDATION)

    async with TestKafkaBroker(broker) as test_broker:
        for event in (registered, refresh, revalidation):
            key, value, headers = encode_event(event)
            await test_broker.publish(value, event.destination, key=key, headers=headers)

    assert [(r.topic, r.key) for r in interactive.records] == [
        (topics.ACCOUNTS.name, registered.key),
        (topics.VALIDATION_REQUESTS.name, refresh.key),
    ]
    assert [(r.topic, r.key) for r in bulk.records] == [
        (topics.BULK_VALIDATION_REQUESTS.name, revalidation.key)
    ]


async def test_the_wired_worker_answers_a_registration_on_the_results_topic() -> None:
    source = ScriptedSource()
    worker = wire_worker([source], FAST, KAFKA, WorkerMetrics(), fake_stores())
    results = collect(worker.broker, topics.CENSUS_RESULTS.name)
    registered = user_registered()

    async with TestKafkaBroker(worker.broker) as test_broker:
        key, value, headers = encode_event(registered)
        await test_broker.publish(value, topics.ACCOUNTS.name, key=key, headers=headers)

    answered = [decode_event(body, EVENT_TYPES) for body in results]
    assert [event.type for event in answered] == ["ValidationStarted", "CedulaValidated"]
    assert {event.causation_id for event in answered} == {registered.event_id}
    assert source.calls == [registered.data.cedula]


async def test_the_wired_worker_dead_letters_a_record_it_cannot_read() -> None:
    worker = wire_worker([ScriptedSource()], FAST, KAFKA, WorkerMetrics(), fake_stores())
    dead_letters = collect(worker.broker, topics.WORKER_DLT.name)

    async with TestKafkaBroker(worker.broker) as test_broker:
        await test_broker.publish(b"\xff not an event", topics.VALIDATION_REQUESTS.name, key=b"1")

    assert dead_letters == [b"\xff not an event"]
