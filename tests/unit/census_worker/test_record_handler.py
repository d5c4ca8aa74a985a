"""One consumed record through the record handler, with a scripted source and a recording broker
under the real publisher: bad input goes to the dead letters, a failure to its retry topic with
the headers that tell its story, the last attempt to the dead letters."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from uuid import uuid4

import pytest
from aiokafka.structs import ConsumerRecord
from prometheus_client import generate_latest

from schemas import topics
from schemas.census import CensusStatus
from schemas.events import (
    CENSUS_LOOKUP_HEADER,
    DEFERRED_LOOKUP,
    UserDeleted,
    UserDeletedData,
    UserProfileUpdated,
    UserProfileUpdatedData,
)
from services.census_worker.adapters.metrics import WorkerMetrics
from services.census_worker.domain.retries import RetryPolicy
from services.census_worker.entrypoints.records import RecordHandler
from services.census_worker.service_layer.fresh_answers import FreshAnswers
from services.census_worker.service_layer.validation import ValidationService
from services.common.failures import ATTEMPT, DUE_AT, ORIGINAL_TOPIC
from services.common.kafka_publisher import RecordPublisher
from services.common.record_faults import RecordFaults, RetryLater
from tests.support.events import record, user_registered
from tests.support.fakes import MemoryAnswers, ScriptedSource, active, failed, no_fresh_answers
from tests.support.faults import Pauses, database_error
from tests.unit.census_worker.kafka_fakes import RecordingBroker

GROUP = "census-worker-test"
DLT = topics.WORKER_DLT.name
RESULTS = topics.CENSUS_RESULTS.name


@dataclasses.dataclass
class Worker:
    handler: RecordHandler
    broker: RecordingBroker
    source: ScriptedSource
    metrics: WorkerMetrics

    def scraped(self) -> str:
        return generate_latest(self.metrics.registry).decode()


def worker(source: ScriptedSource | None = None) -> Worker:
    source = source or ScriptedSource()
    broker, metrics = RecordingBroker(), WorkerMetrics()
    publisher = RecordPublisher(broker, GROUP)  # type: ignore[arg-type]  # a recording fake
    service = ValidationService(
        source, publisher, RetryPolicy((60.0, 300.0), 3), no_fresh_answers()
    )
    return Worker(RecordHandler(service, publisher, DLT, metrics), broker, source, metrics)


def with_headers(consumed: ConsumerRecord, **headers: str) -> ConsumerRecord:
    extra = [(name, value.encode()) for name, value in headers.items()]
    return dataclasses.replace(consumed, headers=[*consumed.headers, *extra])


async def test_a_record_that_is_not_json_goes_straight_to_the_dead_letters() -> None:
    w = worker()
    consumed = dataclasses.replace(record(user_registered()), value=b"not json {")

    await w.handler.handle(consumed)

    (parked,) = w.broker.published
    assert (parked.topic, parked.key, parked.value) == (DLT, consumed.key, b"not json {")
    assert parked.headers["failure_kind"] == "EventDecodeError"
    assert parked.headers[ATTEMPT] == "1"
    assert w.source.calls == []
    assert 'census_dead_letters_total{kind="EventDecodeError"} 1.0' in w.scraped()


async def test_an_unknown_event_type_goes_straight_to_the_dead_letters() -> None:
    w = worker()
    body = b'{"type": "UserVanished", "version": 1, "data": {}}'

    await w.handler.handle(dataclasses.replace(record(user_registered()), value=body))

    assert [p.topic for p in w.broker.published] == [DLT]
    assert "unknown event type" in w.broker.published[0].headers["failure_message"]


async def test_an_account_event_that_asks_for_no_lookup_publishes_nothing() -> None:
    w = worker()
    profile = UserProfileUpdated(
        producer="tests",
        data=UserProfileUpdatedData(
            user_id=uuid4(), nombre="Ana María Pérez", telefono="3001234567", referral_goal=10
        ),
    )

    await w.handler.handle(record(profile))

    assert w.broker.published == [] and w.source.calls == []


async def test_a_found_cedula_is_published_on_the_results_and_nothing_is_parked() -> None:
    w = worker(ScriptedSource([active()]))

    await w.handler.handle(record(user_registered()))

    assert [p.topic for p in w.broker.published] == [RESULTS, RESULTS]
    assert w.source.calls == ["1102812122"]


async def test_a_failed_first_attempt_goes_to_the_first_retry_topic_with_its_story() -> None:
    w = worker(ScriptedSource([failed(CensusStatus.TIMEOUT)]))
    consumed = record(user_registered(), offset=41, partition=3)

    await w.handler.handle(consumed)

    results, (parked,) = w.broker.on(RESULTS), w.broker.on("census.worker.retry-1")
    assert len(results) == 2  # ValidationStarted, ValidationFailed (will_retry)
    assert (parked.key, parked.value) == (consumed.key, consumed.value)
    assert parked.headers[ATTEMPT] == "1"
    assert parked.headers["failure_kind"] == "TIMEOUT"
    assert parked.headers["failure_consumer_group"] == GROUP
    assert parked.headers[ORIGINAL_TOPIC] == topics.ACCOUNTS.name
    assert (
        parked.headers["failure_original_partition"],
        parked.headers["failure_original_offset"],
    ) == ("3", "41")
    assert int(parked.headers[DUE_AT]) > 0
    assert 'census_retries_total{topic="census.worker.retry-1"} 1.0' in w.scraped()


async def test_a_failed_second_attempt_goes_to_the_second_retry_topic() -> None:
    w = worker(ScriptedSource([failed(CensusStatus.BLOCKED)]))
    retried = with_headers(record(user_registered()), **{ATTEMPT: "1"})

    await w.handler.handle(retried)

    (parked,) = w.broker.on("census.worker.retry-2")
    assert parked.headers[ATTEMPT] == "2"
    assert parked.headers["failure_kind"] == "BLOCKED"


async def test_the_last_attempt_that_fails_goes_to_the_dead_letters_keeping_its_origin() -> None:
    w = worker(ScriptedSource([failed(CensusStatus.ERROR)]))
    retried = with_headers(
        record(user_registered()),
        **{ATTEMPT: "2", ORIGINAL_TOPIC: topics.VALIDATION_REQUESTS.name, DUE_AT: "1"},
    )

    await w.handler.handle(retried)

    (parked,) = w.broker.on(DLT)
    assert parked.headers[ATTEMPT] == "3"
    assert parked.headers["failure_kind"] == "ERROR"
    assert parked.headers[ORIGINAL_TOPIC] == topics.VALIDATION_REQUESTS.name
    assert DUE_AT not in parked.headers
    assert [p.topic for p in w.broker.published if p.topic != RESULTS] == [DLT]
    assert 'census_dead_letters_total{kind="ERROR"} 1.0' in w.scraped()


async def test_a_sign_up_whose_lookup_was_deferred_is_not_looked_up_from_the_account_topic() -> (
    None
):
    w = worker()
    deferred = with_headers(record(user_registered()), **{CENSUS_LOOKUP_HEADER: DEFERRED_LOOKUP})
    await w.handler.handle(deferred)
    assert w.broker.published == [] and w.source.calls == []  # its request on the bulk lane will
    await w.handler.handle(record(user_registered()))
    assert len(w.source.calls) == 1  # an ordinary sign-up is looked up


async def test_a_record_whose_processing_the_database_refuses_is_parked_after_a_few_tries() -> None:
    class RefusingService:
        calls = 0

        async def validate(self, request: object, lane: object) -> None:
            self.calls += 1
            raise database_error("22021")

    w = worker()
    pauses = Pauses()
    service = RefusingService()
    handler = RecordHandler(
        service,  # type: ignore[arg-type]  # a fake use case
        RecordPublisher(w.broker, GROUP),  # type: ignore[arg-type]  # a recording fake
        DLT,
        w.metrics,
        faults=RecordFaults("test", max_attempts=3, sleep=pauses),
    )
    consumed = record(user_registered())
    for _ in range(2):
        with pytest.raises(RetryLater):
            await handler.handle(consumed)
    await handler.handle(consumed)
    (parked,) = w.broker.published
    assert parked.topic == DLT and parked.headers["failure_kind"] == "RecordFault"
    assert service.calls == 3 and pauses.taken == [0.5, 1.0]


async def test_a_deleted_persons_kept_answers_are_forgotten_and_nobody_elses() -> None:
    kept = MemoryAnswers()
    source = ScriptedSource([active(), active()])
    broker, metrics = RecordingBroker(), WorkerMetrics()
    publisher = RecordPublisher(broker, GROUP)  # type: ignore[arg-type]  # a recording fake
    policy = RetryPolicy((60.0, 300.0), 3)
    service = ValidationService(source, publisher, policy, FreshAnswers(kept, timedelta(days=1)))
    handler = RecordHandler(service, publisher, DLT, metrics)
    person, other = user_registered(), user_registered(cedula="52900222")
    await handler.handle(record(person))
    await handler.handle(record(other))
    assert set(kept.kept) == {person.data.cedula, "52900222"}

    deleted = UserDeleted(producer="tests", data=UserDeletedData(user_id=person.data.user_id))
    await handler.handle(record(deleted))

    assert set(kept.kept) == {"52900222"}  # only the deleted person's answer went
    assert [p.topic for p in broker.published].count(DLT) == 0
