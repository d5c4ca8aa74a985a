"""The events a lookup publishes: ValidationStarted before it, then CedulaValidated for a final
answer or ValidationFailed (saying whether and when it is retried) for anything else."""

from __future__ import annotations

from typing import Literal, TypedDict
from uuid import UUID

from typing_extensions import TypeIs

from schemas.census import CensusStatus
from schemas.events import (
    MAX_FAILURE_REASON_CHARS,
    CedulaValidated,
    CedulaValidatedData,
    ValidationFailed,
    ValidationFailedData,
    ValidationStarted,
    ValidationStartedData,
)
from services.census_worker.domain.model import LookupResult
from services.census_worker.domain.requests import LookupRequest
from services.census_worker.domain.retries import RetryPlan

PRODUCER = "census-worker"
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


def started_event(request: LookupRequest, source: str) -> ValidationStarted:
    data = ValidationStartedData(**_lookup(request, source))
    return ValidationStarted(**_envelope(request), data=data)


def outcome_event(
    request: LookupRequest, source: str, result: LookupResult, retry: RetryPlan | None
) -> CedulaValidated | ValidationFailed:
    if _is_final(result.status):
        validated = CedulaValidatedData(
            **_lookup(request, source),
            status=result.status,
            voting_place=result.voting_place,
            novedad=result.novedad,
            fetched_at=result.fetched_at,
        )
        return CedulaValidated(**_envelope(request), data=validated)
    # A source answers only final or failure statuses; anything else would be a bug: ERROR.
    status = result.status if _is_failure(result.status) else CensusStatus.ERROR
    failed = ValidationFailedData(
        **_lookup(request, source),
        status=status,
        reason=(result.reason or status.value)[:MAX_FAILURE_REASON_CHARS],
        will_retry=retry is not None,
        next_attempt_at=retry.due_at if retry else None,
        raw_response=result.raw_response,
        failed_at=result.fetched_at,
    )
    return ValidationFailed(**_envelope(request), data=failed)


def _is_final(status: CensusStatus) -> TypeIs[ValidatedStatus]:
    return status.is_final


def _is_failure(status: CensusStatus) -> TypeIs[FailedStatus]:
    return status.is_failure


def _lookup(request: LookupRequest, source: str) -> _Lookup:
    return _Lookup(
        user_id=request.user_id,
        cedula=request.cedula,
        request_id=request.request_id,
        attempt=request.attempt,
        source=source,
    )


def _envelope(request: LookupRequest) -> _Envelope:
    return _Envelope(
        producer=PRODUCER, correlation_id=request.correlation_id, causation_id=request.request_id
    )
