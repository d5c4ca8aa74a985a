"""Skip what is fresh: a re-check nobody asked for explicitly is answered from the census's last
final answer when it is recent enough (no turn, no captcha); a person's refresh always looks up."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from prometheus_client import generate_latest

from schemas.census import CensusStatus
from schemas.events import CedulaValidated, ValidationReason
from services.census_worker.adapters.metrics import WorkerMetrics
from services.census_worker.domain.model import LookupResult
from services.census_worker.domain.requests import LookupRequest
from services.census_worker.domain.retries import RetryPolicy
from services.census_worker.entrypoints.records import RecordHandler
from services.census_worker.service_layer.fresh_answers import FreshAnswers
from services.census_worker.service_layer.validation import ValidationService
from services.common.kafka_publisher import RecordPublisher
from tests.support.events import SINCELEJO, record, user_registered
from tests.support.fakes import MemoryAnswers, MemoryPublisher, ScriptedSource, active, failed
from tests.unit.census_worker.kafka_fakes import RecordingBroker

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
FRESH_FOR = timedelta(hours=24)
CEDULA = "1102812122"


def answered(hours_ago: float, host: str = "consultacenso") -> LookupResult:
    fetched_at = NOW - timedelta(hours=hours_ago)
    return LookupResult(CensusStatus.ACTIVE, host, voting_place=SINCELEJO, fetched_at=fetched_at)


def asked(
    reason: ValidationReason | None, attempt: int = 1, asked_at: datetime = NOW
) -> LookupRequest:
    """A request as the worker reads it; `None`: a sign-up (UserRegistered)."""
    explicit = reason in (ValidationReason.REFRESH, ValidationReason.BULK_REFRESH)
    return LookupRequest(uuid4(), CEDULA, uuid4(), uuid4(), asked_at, attempt, explicit)


class World:
    """The use case with a kept answer for CEDULA (or none) and a source giving `looked_up`."""

    def __init__(self, kept: LookupResult | None = None, looked_up: LookupResult | None = None):
        self.answers, self.publisher = MemoryAnswers(), MemoryPublisher()
        self.source = ScriptedSource([looked_up or active()])
        if kept is not None:
            self.answers.kept[CEDULA] = kept
        fresh = FreshAnswers(self.answers, FRESH_FOR)
        self.service = ValidationService(
            self.source, self.publisher, RetryPolicy(), fresh, clock=lambda: NOW
        )


async def test_a_revalidation_of_a_cedula_answered_within_the_window_is_not_looked_up() -> None:
    world = World(answered(hours_ago=23, host="consultacenso"))

    outcome = await world.service.validate(asked(ValidationReason.REVALIDATION))

    assert world.source.calls == [] and outcome.fresh
    [validated] = world.publisher.events  # no ValidationStarted: nothing was started
    assert isinstance(validated, CedulaValidated)
    assert validated.data.source == "consultacenso"  # the host that gave the answer
    assert validated.data.fetched_at == NOW - timedelta(hours=23)  # when it gave it
    assert validated.data.voting_place == SINCELEJO


async def test_a_revalidation_of_a_stale_answer_is_looked_up_and_the_new_answer_kept() -> None:
    world = World(answered(hours_ago=25))

    outcome = await world.service.validate(asked(ValidationReason.REVALIDATION))

    assert world.source.calls == [CEDULA] and not outcome.fresh
    assert world.publisher.types() == ["ValidationStarted", "CedulaValidated"]
    assert world.answers.kept[CEDULA].source == "fake"  # the newest answer replaced it


async def test_an_explicit_refresh_is_looked_up_even_when_the_answer_is_fresh() -> None:
    for reason in (ValidationReason.REFRESH, ValidationReason.BULK_REFRESH):
        world = World(answered(hours_ago=0.01))

        await world.service.validate(asked(reason))

        assert world.source.calls == [CEDULA]


async def test_a_retry_of_a_refresh_takes_an_answer_given_after_it_was_asked() -> None:
    world = World(answered(hours_ago=0.5))

    before = await world.service.validate(
        asked(ValidationReason.REFRESH, 2, NOW - timedelta(hours=1))
    )
    after = await world.service.validate(asked(ValidationReason.REFRESH, 2, NOW))

    assert before.fresh and not after.fresh


async def test_a_sign_up_and_a_retry_of_an_answered_cedula_are_answered_from_the_window() -> None:
    world = World(answered(hours_ago=2))

    await world.service.validate(asked(None))
    await world.service.validate(asked(ValidationReason.REVALIDATION, attempt=3))

    assert world.source.calls == []


async def test_failures_are_never_kept_for_later() -> None:
    world = World(looked_up=failed(CensusStatus.TIMEOUT))

    await world.service.validate(asked(ValidationReason.REVALIDATION))

    assert world.answers.kept == {}


async def test_the_newest_answer_wins_in_the_store() -> None:
    answers = MemoryAnswers()
    await answers.remember(CEDULA, answered(hours_ago=1))
    await answers.remember(CEDULA, answered(hours_ago=5, host="wsp"))

    kept = await answers.latest_since(CEDULA, NOW - FRESH_FOR)
    assert kept is not None and kept.source == "consultacenso"


async def test_fresh_answers_are_counted_apart_from_lookups() -> None:
    registered = user_registered(CEDULA)
    answers = MemoryAnswers()
    await answers.remember(CEDULA, replace(active(), fetched_at=datetime.now(UTC)))
    metrics, source = WorkerMetrics(), ScriptedSource()
    publisher = RecordPublisher(RecordingBroker(), "g")  # type: ignore[arg-type]  # a recording fake
    service = ValidationService(source, publisher, RetryPolicy(), FreshAnswers(answers, FRESH_FOR))

    await RecordHandler(service, publisher, "dlt", metrics).handle(record(registered))

    assert source.calls == []
    assert "census_fresh_answers_total 1.0" in generate_latest(metrics.registry).decode()
