"""Every operator action that changes the event flow is itself recorded as an event."""

from __future__ import annotations

from aiokafka import AIOKafkaProducer

from schemas.events import OperatorActionRecorded, OperatorActionRecordedData
from services.common.kafka import publish_event
from services.common.operator import operator_name

__all__ = ["PRODUCER", "operator_name", "record_action"]

PRODUCER = "censo-ops"


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
            operator=operator or operator_name(),
            target=target,
            count=count,
            details=details,
        ),
    )
    await publish_event(producer, event)
    return event
