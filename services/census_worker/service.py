"""The worker's use case: look a cédula up and publish what the census said."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

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
from services.common.logging import mask_cedula

PRODUCER = "census-worker"
log = structlog.get_logger(__name__)


class EventPublisher(Protocol):
    async def publish(self, event: Event) -> None: ...


class ValidationService:
    def __init__(self, source: CensusSource, publisher: EventPublisher) -> None:
        self._source = source
        self._publisher = publisher

    async def validate(self, request: LookupRequest) -> LookupResult:
        common = {
            "user_id": request.user_id,
            "cedula": request.cedula,
            "request_id": request.request_id,
            "attempt": request.attempt,
            "source": self._source.name,
        }
        await self._publisher.publish(
            _caused(request, ValidationStarted, ValidationStartedData(**common))
        )
        result = await self._source.lookup(request.cedula)
        await self._publisher.publish(_outcome_event(request, result, common))
        log.info(
            "census.lookup_done",
            cedula=mask_cedula(request.cedula),
            status=result.status.value,
            attempt=request.attempt,
            request_id=str(request.request_id),
        )
        return result


def _caused(request: LookupRequest, event_type: type[Event], data: object) -> Event:
    return event_type(
        producer=PRODUCER,
        correlation_id=request.correlation_id,
        causation_id=request.request_id,
        data=data,
    )


def _outcome_event(request: LookupRequest, result: LookupResult, common: dict) -> Event:
    if result.status.is_final:
        data = CedulaValidatedData(
            **common,
            status=result.status,
            voting_place=result.voting_place,
            novedad=result.novedad,
            fetched_at=result.fetched_at,
        )
        return _caused(request, CedulaValidated, data)
    status = result.status if result.status.is_failure else CensusStatus.ERROR
    failed = ValidationFailedData(
        **common,
        status=status,
        reason=(result.reason or status.value)[:2_000],
        will_retry=False,
        raw_response=result.raw_response,
        failed_at=datetime.now(UTC),
    )
    return _caused(request, ValidationFailed, failed)
