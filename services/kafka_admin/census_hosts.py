"""The census hosts as Kafka carries them: the newest capacity report on census.status, and an
operator's order to resume a host whose circuit is open (on census.control, audited)."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiokafka import AIOKafkaProducer, TopicPartition

from schemas import topics
from schemas.envelope import EventDecodeError, decode_event
from schemas.events import (
    EVENT_TYPES,
    CensusCapacityReported,
    CensusCapacityReportedData,
    CensusHostResumeRequested,
    CensusHostResumeRequestedData,
)
from services.common.kafka import publish_event
from services.kafka_admin.audit import PRODUCER, operator_name, record_action
from services.kafka_admin.clients import KafkaClients, partitions_of

# The census worker's site variants (its CENSUS_SOURCES): hosts an operator may name even
# before any report mentions them.
SOURCE_NAMES = ("wsp", "consultacenso")
RESUME_ACTION = "census.resume-host"
# The newest report is the last record unless something else was written after it (a record
# that is not a report): look this far back.
LOOK_BACK = 20


async def latest_report(clients: KafkaClients) -> CensusCapacityReported | None:
    """The newest CensusCapacityReported kept on census.status (by `reported_at`), or None."""
    admin, consumer = clients
    partitions = await partitions_of(admin, [topics.CENSUS_STATUS.name])
    if not partitions:
        return None
    consumer.assign(partitions)
    starts = await consumer.beginning_offsets(partitions)
    ends = await consumer.end_offsets(partitions)
    for tp in partitions:
        consumer.seek(tp, max(starts[tp], ends[tp] - LOOK_BACK))
    reports = [report async for report in _reports(clients, ends)]
    return max(reports, key=lambda report: report.data.reported_at, default=None)


async def _reports(
    clients: KafkaClients, ends: dict[TopicPartition, int]
) -> AsyncIterator[CensusCapacityReported]:
    """The reports among the records from the consumer's positions up to `ends`."""
    consumer = clients[1]
    while await _behind(clients, ends):
        batch = await consumer.getmany(*ends, timeout_ms=500)
        for chunk in batch.values():
            for record in chunk:
                try:
                    event = decode_event(record.value or b"", EVENT_TYPES)
                except EventDecodeError:
                    continue
                if isinstance(event, CensusCapacityReported):
                    yield event


async def _behind(clients: KafkaClients, ends: dict[TopicPartition, int]) -> bool:
    for tp, end in ends.items():
        if await clients[1].position(tp) < end:
            return True
    return False


def known_hosts(report: CensusCapacityReportedData | None) -> tuple[str, ...]:
    """The hosts an operator may resume: those of the latest report, and the site variants."""
    reported = tuple(host.host for host in report.hosts) if report else ()
    return tuple(dict.fromkeys((*reported, *SOURCE_NAMES)))


async def request_resume(
    producer: AIOKafkaProducer, host: str, operator: str | None = None
) -> CensusHostResumeRequested:
    """Ask the census workers to close `host`'s circuit, and record who asked on ops.audit."""
    who = operator or operator_name()
    event = CensusHostResumeRequested(
        producer=PRODUCER, data=CensusHostResumeRequestedData(host=host, operator=who)
    )
    await publish_event(producer, event)
    await record_action(producer, RESUME_ACTION, host, 1, operator=who)
    return event
