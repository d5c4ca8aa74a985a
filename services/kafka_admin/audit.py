"""Every operator action that changes the event flow is itself recorded as an event."""

from __future__ import annotations

from aiokafka import AIOKafkaProducer

from schemas.events import OperatorActionRecorded, OperatorActionRecordedData
from services.common.kafka import publish_event
from services.common.operator import operator_name

__all__ = ["PRODUCER", "operator_name", "record_action"]

PRODUCER = "censo-ops"
# The event's own limits: an over-long name or target is clipped, never a reason for the record
# (written before the action it records) to fail and so stop the action.
_FIELDS = OperatorActionRecordedData.model_fields
_MAX_OPERATOR: int = next(
    m.max_length for m in _FIELDS["operator"].metadata if hasattr(m, "max_length")
)
_MAX_TARGET: int = next(
    m.max_length for m in _FIELDS["target"].metadata if hasattr(m, "max_length")
)


def clipped(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def record_action(
    producer: AIOKafkaProducer,
    action: str,
    target: str,
    count: int,
    operator: str | None = None,
    **details: str,
) -> OperatorActionRecorded:
    """`operator` names who acted when it is not this process's user (an admin on the web)."""
    event = OperatorActionRecorded(
        producer=PRODUCER,
        data=OperatorActionRecordedData(
            action=action,
            operator=clipped(operator or operator_name(), _MAX_OPERATOR),
            target=clipped(target, _MAX_TARGET),
            count=count,
            details=details,
        ),
    )
    await publish_event(producer, event)
    return event
