"""The worker's use case: look a cédula up (or take a fresh enough answer the census already
gave), publish what the census said, plan a retry if any."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol
from uuid import UUID

import structlog

from schemas.envelope import Event
from services.census_worker.domain.model import LookupResult
from services.census_worker.domain.requests import LookupRequest
from services.census_worker.domain.retries import RetryPlan, RetryPolicy
from services.census_worker.domain.turns import Lane
from services.census_worker.service_layer.budgeted_census import Census
from services.census_worker.service_layer.fresh_answers import FreshAnswers
from services.census_worker.service_layer.lookup_events import outcome_event, started_event
from services.common.logging import mask_cedula

log = structlog.get_logger(__name__)


class EventPublisher(Protocol):
    async def publish(self, event: Event) -> None: ...


@dataclass(frozen=True)
class Outcome:
    result: LookupResult
    retry: RetryPlan | None  # None: final answer, or no attempts left
    fresh: bool = False  # answered from an earlier answer, without a lookup

    @property
    def gave_up(self) -> bool:
        return not self.result.status.is_final and self.retry is None


def _utcnow() -> datetime:
    return datetime.now(UTC)


class ValidationService:
    """Publishes ValidationStarted, looks up, then publishes CedulaValidated or ValidationFailed;
    a request that a fresh enough earlier answer stands in for gets only its CedulaValidated.

    It never raises for a failed lookup (the source answers one); a publishing error propagates so
    the caller leaves the record uncommitted.
    """

    def __init__(
        self,
        source: Census,
        publisher: EventPublisher,
        policy: RetryPolicy,
        answers: FreshAnswers,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self._source = source
        self._publisher = publisher
        self._policy = policy
        self._answers = answers
        self._clock = clock

    async def validate(self, request: LookupRequest, lane: Lane = Lane.INTERACTIVE) -> Outcome:
        """`lane`: whose turn at the census host comes first (a new sign-up before bulk work)."""
        if (fresh := await self._answers.for_request(request, self._clock())) is not None:
            return await self._answer_from(fresh, request)
        await self._publisher.publish(started_event(request, self._source.name))
        result = await self._source.lookup(request.cedula, lane)
        # Kept before publishing: a record delivered again after a failed publish is answered
        # from it instead of being looked up a second time.
        await self._answers.remember(request.cedula, result, request.user_id)
        retry = (
            None
            if result.status.is_final
            else self._policy.after_failure(request.attempt, self._clock())
        )
        await self._publisher.publish(outcome_event(request, result.source, result, retry))
        log.info(
            "census.lookup_done",
            cedula=mask_cedula(request.cedula),
            status=result.status.value,
            attempt=request.attempt,
            retry_at=retry.due_at.isoformat() if retry else None,
            request_id=str(request.request_id),
        )
        return Outcome(result, retry)

    async def forget_person(self, user_id: UUID) -> None:
        """A deleted person (UserDeleted): the answers kept for their lookups are deleted."""
        forgotten = await self._answers.forget(user_id)
        log.info("census.person_forgotten", user_id=str(user_id), answers=forgotten)

    async def _answer_from(self, answer: LookupResult, request: LookupRequest) -> Outcome:
        """The earlier answer as a normal CedulaValidated: its host as `source`, and its own
        `fetched_at`, so the read model shows how old it is."""
        await self._publisher.publish(outcome_event(request, answer.source, answer, None))
        log.info(
            "census.fresh_answer",
            cedula=mask_cedula(request.cedula),
            status=answer.status.value,
            host=answer.source,
            age_s=round((self._clock() - answer.fetched_at).total_seconds()),
            attempt=request.attempt,
            request_id=str(request.request_id),
        )
        return Outcome(answer, None, fresh=True)
