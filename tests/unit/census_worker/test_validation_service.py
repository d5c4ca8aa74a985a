"""The worker's use case with a fake census source and an in-memory publisher: what each kind of
answer publishes, and when a retry is planned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from schemas.census import CensusStatus, Novedad
from schemas.events import CedulaValidated, ValidationFailed, ValidationStarted
from services.census_worker.domain.model import LookupResult
from services.census_worker.domain.requests import LookupRequest
from services.census_worker.domain.retries import RetryPolicy
from services.census_worker.service_layer.validation import ValidationService
from tests.support.events import SINCELEJO
from tests.support.fakes import (
    MemoryPublisher,
    ScriptedSource,
    active,
    failed,
    no_fresh_answers,
)

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
DECEASED = Novedad(novedad="CANCELADA POR MUERTE", resolucion="1234", fecha="2019-03-01")


def request(attempt: int = 1) -> LookupRequest:
    return LookupRequest(
        user_id=uuid4(),
        cedula="1102812122",
        request_id=uuid4(),
        correlation_id=uuid4(),
        requested_at=NOW,
        attempt=attempt,
    )


def service(answer: LookupResult, publisher: MemoryPublisher) -> ValidationService:
    return ValidationService(
        ScriptedSource([answer]),
        publisher,
        RetryPolicy((60.0, 300.0), 3),
        no_fresh_answers(),
        clock=lambda: NOW,
    )


async def test_a_found_cedula_publishes_started_then_validated_with_its_voting_place() -> None:
    publisher, asked = MemoryPublisher(), request()

    outcome = await service(active(), publisher).validate(asked)

    assert publisher.types() == ["ValidationStarted", "CedulaValidated"]
    started, validated = publisher.events
    assert isinstance(started, ValidationStarted) and isinstance(validated, CedulaValidated)
    assert validated.data.status is CensusStatus.ACTIVE
    assert validated.data.voting_place == SINCELEJO
    assert (validated.data.request_id, validated.data.attempt) == (asked.request_id, 1)
    assert outcome.retry is None and not outcome.gave_up


async def test_every_published_event_is_caused_by_the_request_and_keeps_its_correlation() -> None:
    publisher, asked = MemoryPublisher(), request()

    await service(active(), publisher).validate(asked)

    assert {(e.causation_id, e.correlation_id) for e in publisher.events} == {
        (asked.request_id, asked.correlation_id)
    }
    assert {e.producer for e in publisher.events} == {"census-worker"}


async def test_a_cancelled_cedula_is_a_final_answer_with_its_novedad() -> None:
    publisher = MemoryPublisher()
    cancelled = LookupResult(CensusStatus.CANCELLED_DECEASED, "fake", novedad=DECEASED)

    outcome = await service(cancelled, publisher).validate(request())

    validated = publisher.events[-1]
    assert isinstance(validated, CedulaValidated)
    assert (validated.data.status, validated.data.novedad) == (
        CensusStatus.CANCELLED_DECEASED,
        DECEASED,
    )
    assert outcome.retry is None and not outcome.gave_up


async def test_a_cedula_not_in_the_census_is_a_final_answer_not_retried() -> None:
    publisher = MemoryPublisher()
    not_found = LookupResult(CensusStatus.NOT_FOUND, "fake")

    outcome = await service(not_found, publisher).validate(request())

    validated = publisher.events[-1]
    assert isinstance(validated, CedulaValidated)
    assert validated.data.status is CensusStatus.NOT_FOUND
    assert outcome.retry is None and not outcome.gave_up


async def test_a_blocked_lookup_is_published_as_failed_and_retried_on_the_first_retry_topic() -> (
    None
):
    publisher = MemoryPublisher()

    outcome = await service(failed(CensusStatus.BLOCKED), publisher).validate(request())

    failure = publisher.events[-1]
    assert isinstance(failure, ValidationFailed)
    assert failure.data.status is CensusStatus.BLOCKED
    assert failure.data.will_retry
    assert failure.data.next_attempt_at == NOW + timedelta(seconds=60)
    assert outcome.retry is not None
    assert (outcome.retry.topic, outcome.retry.attempt) == ("census.worker.retry-1", 2)


async def test_an_error_on_the_last_attempt_is_published_as_final_failure_and_gives_up() -> None:
    publisher = MemoryPublisher()
    error = LookupResult.failure(CensusStatus.ERROR, "fake", "browser failure", raw="<html/>")

    outcome = await service(error, publisher).validate(request(attempt=3))

    failure = publisher.events[-1]
    assert isinstance(failure, ValidationFailed)
    assert (failure.data.status, failure.data.reason) == (CensusStatus.ERROR, "browser failure")
    assert (failure.data.will_retry, failure.data.next_attempt_at) == (False, None)
    assert failure.data.raw_response == "<html/>"
    assert failure.data.attempt == 3
    assert outcome.gave_up


async def test_a_very_long_failure_reason_is_cut_to_what_the_event_allows() -> None:
    publisher = MemoryPublisher()
    error = LookupResult.failure(CensusStatus.ERROR, "fake", "x" * 5_000)

    await service(error, publisher).validate(request())

    failure = publisher.events[-1]
    assert isinstance(failure, ValidationFailed)
    assert len(failure.data.reason) == 2_000


async def test_when_publishing_fails_the_error_reaches_the_caller() -> None:
    class DownPublisher(MemoryPublisher):
        async def publish(self, event: object) -> None:
            raise ConnectionError("Kafka unreachable")

    source = ScriptedSource()
    svc = ValidationService(
        source, DownPublisher(), RetryPolicy(), no_fresh_answers(), clock=lambda: NOW
    )

    with pytest.raises(ConnectionError):
        await svc.validate(request())
    assert source.calls == []  # nothing looked up before ValidationStarted is on Kafka
