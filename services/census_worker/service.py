"""The worker's use case: look a cédula up, publish what the census said, plan a retry if any."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import structlog

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
from services.census_worker.lookup.model import CensusSource, LookupResult
from services.census_worker.requests import LookupRequest
from services.census_worker.retries import RetryPlan, RetryPolicy
from services.common.logging import mask_cedula

PRODUCER = "census-worker"
log = structlog.get_logger(__name__)


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
        lookup = {
            "user_id": request.user_id,
            "cedula": request.cedula,
            "request_id": request.request_id,
            "attempt": request.attempt,
            "source": self._source.name,
        }
        await self._publisher.publish(
            _caused(request, ValidationStarted, ValidationStartedData(**lookup))
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


def _caused(request: LookupRequest, event_type: type[Event], data: object) -> Event:
    return event_type(
        producer=PRODUCER,
        correlation_id=request.correlation_id,
        causation_id=request.request_id,
        data=data,
    )


def _outcome_event(
    request: LookupRequest, result: LookupResult, retry: RetryPlan | None, lookup: dict[str, Any]
) -> Event:
    if result.status.is_final:
        data = CedulaValidatedData(
            **lookup,
            status=result.status,
            voting_place=result.voting_place,
            novedad=result.novedad,
            fetched_at=result.fetched_at,
        )
        return _caused(request, CedulaValidated, data)
    status = result.status if result.status.is_failure else CensusStatus.ERROR
    failed = ValidationFailedData(
        **lookup,
        status=status,
        reason=(result.reason or status.value)[:2_000],
        will_retry=retry is not None,
        next_attempt_at=retry.due_at if retry else None,
        raw_response=result.raw_response,
        failed_at=result.fetched_at,
    )
    return _caused(request, ValidationFailed, failed)
