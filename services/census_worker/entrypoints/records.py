"""Turns one consumed record into a lookup; failures go to a retry topic or the dead letters."""

from __future__ import annotations

from aiokafka.structs import ConsumerRecord

from schemas.envelope import EventDecodeError
from schemas.events import CENSUS_LOOKUP_HEADER, DEFERRED_LOOKUP, UserDeleted
from services.census_worker.adapters.metrics import WorkerMetrics
from services.census_worker.adapters.sealed_requests import SealedRequests
from services.census_worker.domain.requests import LookupRequest
from services.census_worker.domain.turns import Lane
from services.census_worker.service_layer.validation import ValidationService
from services.common.failures import attempt_of, header
from services.common.kafka_publisher import RecordPublisher
from services.common.record_faults import RecordFaults


class RecordHandler:
    """Decode → validate → park the record for a retry, or for good when attempts ran out.

    Bad input (not JSON, unknown type or version, missing fields) goes straight to the dead
    letters: retrying cannot fix it. A record whose processing fails for a reason inherent to it
    (a value the worker database refuses) goes there after a few paused tries; any other failure
    (the database or Kafka away) leaves as RetryLater, after a growing pause, so the record is
    delivered again and nothing spins.
    """

    def __init__(
        self,
        service: ValidationService,
        publisher: RecordPublisher,
        dlt_topic: str,
        metrics: WorkerMetrics,
        lane: Lane = Lane.INTERACTIVE,
        faults: RecordFaults | None = None,
        sealed: SealedRequests | None = None,
    ) -> None:
        self._faults = faults or RecordFaults("census-worker")
        self._sealed = sealed or SealedRequests(None, publisher)  # None: records in clear only
        self._service = service
        self._publisher = publisher
        self._dlt_topic = dlt_topic
        self._metrics = metrics
        self._lane = lane  # the lane of every record this handler takes

    async def handle(self, record: ConsumerRecord) -> None:
        try:
            await self._handle(record)
        except Exception as exc:  # RetryLater leaves failed() unless the record is to be parked
            reason = await self._faults.failed(record, exc)
            await self._dead_letter(record, "RecordFault", reason, attempt_of(record))
        else:
            self._faults.succeeded(record)

    async def _handle(self, record: ConsumerRecord) -> None:
        attempt = attempt_of(record)
        try:
            event = await self._sealed.open(record)
        except EventDecodeError as exc:
            await self._dead_letter(record, type(exc).__name__, str(exc), attempt)
            return
        if event is None:
            return  # its person's data were deleted: nothing left to look up
        if isinstance(event, UserDeleted):
            await self._service.forget_person(event.data.user_id)
            return
        if header(record, CENSUS_LOOKUP_HEADER) == DEFERRED_LOOKUP:
            return  # a sign-up whose first lookup comes as a request on the bulk lane
        request = LookupRequest.from_event(event, attempt)
        if request is None:
            return  # an account event that asks for no lookup
        outcome = await self._service.validate(request, self._lane)
        if outcome.fresh:
            self._metrics.fresh_answers.inc()
        status, reason = outcome.result.status.value, outcome.result.reason or ""
        if outcome.retry is not None:
            await self._publisher.park(
                outcome.retry.topic, record, status, reason, attempt, outcome.retry.due_at
            )
            self._metrics.retries.labels(topic=outcome.retry.topic).inc()
        elif outcome.gave_up:
            await self._dead_letter(record, status, reason, attempt)

    async def _dead_letter(
        self, record: ConsumerRecord, kind: str, reason: str, attempt: int
    ) -> None:
        await self._publisher.park(self._dlt_topic, record, kind, reason, attempt)
        self._metrics.dead_letters.labels(kind=kind).inc()
