"""Turns one consumed record into a lookup, or into a dead letter when it cannot be read."""

from __future__ import annotations

from aiokafka.structs import ConsumerRecord

from schemas.envelope import EventDecodeError, decode_event
from schemas.events import EVENT_TYPES
from services.census_worker.requests import LookupRequest
from services.census_worker.service import ValidationService
from services.common.kafka_publisher import RecordPublisher


class RecordHandler:
    """Decode → validate; bad input goes straight to the dead-letter topic."""

    def __init__(
        self, service: ValidationService, publisher: RecordPublisher, group: str, dlt_topic: str
    ) -> None:
        self._service = service
        self._publisher = publisher
        self._group = group
        self._dlt_topic = dlt_topic

    async def handle(self, record: ConsumerRecord) -> None:
        try:
            event = decode_event(record.value or b"", EVENT_TYPES)
        except EventDecodeError as exc:
            await self._publisher.dead_letter(self._dlt_topic, record, self._group, exc)
            return
        request = LookupRequest.from_event(event)
        if request is None:
            return  # an account event that asks for no lookup
        await self._service.validate(request)
