"""The worker's use case: look a cédula up, publish what the census said, plan a retry if any."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, Protocol, TypedDict
from uuid import UUID

import structlog
from typing_extensions import TypeIs

from schemas.census import CensusStatus
from schemas.envelope import Event
from schemas.events import (
    CedulaValidated,
    CedulaValidatedData,
    ValidationFailed,
    ValidationFailedData,
    ValidationStarted,
    ValidationStartedData,
)
from services.census_worker.domain.model import CensusSource, LookupResult
from services.census_worker.domain.requests import LookupRequest
from services.census_worker.domain.retries import RetryPlan, RetryPolicy
from services.common.logging import mask_cedula

PRODUCER = "census-worker"
log = structlog.get_logger(__name__)
# The statuses each event accepts (its data's `status` field), for the type checker.
ValidatedStatus = Literal[
    CensusStatus.ACTIVE,
    CensusStatus.NOT_FOUND,
    CensusStatus.CANCELLED_DECEASED,
    CensusStatus.CANCELLED_OTHER,
]
FailedStatus = Literal[CensusStatus.ERROR, CensusStatus.TIMEOUT, CensusStatus.BLOCKED]


class _Lookup(TypedDict):
    """The fields every lookup event's data repeats."""

    user_id: UUID
    cedula: str
    request_id: UUID
    attempt: int
    source: str


class _Envelope(TypedDict):
    """Every lookup event is caused by the request and shares its correlation id."""

    producer: str
    correlation_id: UUID
    causation_id: UUID


class EventPublisher(Protocol):
    async def publish(self, event: Event) -> None: ...


@dataclass(frozen=True)
class Outcome:
    result: LookupResult
    retry: RetryPlan | None  # None: final answer, or no attempts left

    @property
    def gave_up(self) -> bool:
        return not self.result.status.is_final and self.retry is None


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ValidationService:
    def __init__(
        self,
        source: CensusSource,
        publisher: EventPublisher,
        policy: RetryPolicy,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._source = source
        self._publisher = publisher
        self._policy = policy
        self._clock = clock

    async def validate(self, request: LookupRequest) -> Outcome:
        lookup = _Lookup(
            user_id=request.user_id,
            cedula=request.cedula,
            request_id=request.request_id,
            attempt=request.attempt,
            source=self._source.name,
        )
        await self._publisher.publish(
            ValidationStarted(**_caused(request), data=ValidationStartedData(**lookup))
        )
        result = await self._source.lookup(request.cedula)
        retry = (
            None
            if result.status.is_final
            else self._policy.after_failure(request.attempt, self._clock())
        )
        await self._publisher.publish(_outcome_event(request, result, retry, lookup))
        log.info(
            "census.lookup_done",
            cedula=mask_cedula(request.cedula),
            status=result.status.value,
            attempt=request.attempt,
            retry_at=retry.due_at.isoformat() if retry else None,
            request_id=str(request.request_id),
        )
        return Outcome(result, retry)


def _caused(request: LookupRequest) -> _Envelope:
    return _Envelope(
        producer=PRODUCER, correlation_id=request.correlation_id, causation_id=request.request_id
    )


def _outcome_event(
    request: LookupRequest, result: LookupResult, retry: RetryPlan | None, lookup: _Lookup
) -> Event:
    if _is_final(result.status):
        data = CedulaValidatedData(
            **lookup,
            status=result.status,
            voting_place=result.voting_place,
            novedad=result.novedad,
            fetched_at=result.fetched_at,
        )
        return CedulaValidated(**_caused(request), data=data)
    status = result.status if _is_failure(result.status) else CensusStatus.ERROR
    failed = ValidationFailedData(
        **lookup,
        status=status,
        reason=(result.reason or status.value)[:2_000],
        will_retry=retry is not None,
        next_attempt_at=retry.due_at if retry else None,
        raw_response=result.raw_response,
        failed_at=result.fetched_at,
    )
    return ValidationFailed(**_caused(request), data=failed)


def _is_final(status: CensusStatus) -> TypeIs[ValidatedStatus]:
    return status.is_final


def _is_failure(status: CensusStatus) -> TypeIs[FailedStatus]:
    return status.is_failure
