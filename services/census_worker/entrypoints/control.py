"""The operators' commands to the workers on census.control (today: resume a host's circuit).

One consumer group for all workers (`<group>-control`): a command is carried out once, in the
worker database, and every worker sees it there. Offsets are committed as usual and a new group
starts at the earliest record, so a command sent while no worker ran is carried out at the next
start; replaying old ones is harmless (a resume older than the circuit's opening is ignored).
"""

from __future__ import annotations

from aiokafka.structs import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from schemas import topics
from schemas.envelope import EventDecodeError, decode_event
from schemas.events import EVENT_TYPES, CensusHostResumeRequested
from services.census_worker.adapters.metrics import WorkerMetrics
from services.census_worker.service_layer.resume import ResumeHost
from services.common.kafka_publisher import RecordPublisher


class ControlHandler:
    """Decode → carry out; a record that is not a command goes to the worker's dead letters."""

    def __init__(
        self, resume: ResumeHost, publisher: RecordPublisher, metrics: WorkerMetrics
    ) -> None:
        self._resume, self._publisher, self._metrics = resume, publisher, metrics

    async def handle(self, record: ConsumerRecord) -> None:
        try:
            event = decode_event(record.value or b"", EVENT_TYPES)
        except EventDecodeError as exc:
            await self._dead_letter(record, type(exc).__name__, str(exc))
            return
        if not isinstance(event, CensusHostResumeRequested):
            await self._dead_letter(record, "UnexpectedEvent", f"{event.type} is not a command")
            return
        await self._resume(event)

    async def _dead_letter(self, record: ConsumerRecord, kind: str, reason: str) -> None:
        await self._publisher.park(topics.WORKER_DLT.name, record, kind, reason)
        self._metrics.dead_letters.labels(kind=kind).inc()


def register_control(broker: KafkaBroker, handler: ControlHandler, group: str) -> None:
    subscriber = broker.subscriber(
        topics.CENSUS_CONTROL.name,
        group_id=f"{group}-control",
        ack_policy=AckPolicy.NACK_ON_ERROR,  # the database away: the command is delivered again
        auto_offset_reset="earliest",
    )

    @subscriber
    async def on_command(msg: KafkaMessage) -> None:
        await handler.handle(msg.raw_message)
