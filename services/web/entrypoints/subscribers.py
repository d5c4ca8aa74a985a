"""The projector's Kafka subscribers: every account and census topic into the read tables, and
the census hosts' capacity reports."""

from __future__ import annotations

from aiokafka.structs import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from schemas import topics
from schemas.envelope import EventDecodeError
from services.common.kafka_publisher import RecordPublisher
from services.common.record_faults import RecordFaults
from services.web.adapters.projector_watch import ProjectorWatch
from services.web.projection.projector import Projector

# Also what a rebuild replays (`censo ops rebuild`): both lanes of requests show as PENDING; the
# newest capacity report still kept on census.status comes back too.
PROJECTED_TOPICS = (
    topics.ACCOUNTS,
    topics.VALIDATION_REQUESTS,
    topics.BULK_VALIDATION_REQUESTS,
    topics.CENSUS_RESULTS,
    topics.CENSUS_STATUS,
)


def register_subscribers(
    broker: KafkaBroker,
    projector: Projector,
    group: str,
    faults: RecordFaults | None = None,
    watch: ProjectorWatch | None = None,
) -> None:
    """`watch`: told when each subscriber joins the group (readiness).

    NACK_ON_ERROR: when the database is down the record is delivered again after a pause,
    never skipped; a record that cannot be decoded, or that the database refuses however often it
    is tried, goes to the dead-letter topic with the reason and the partition moves on."""
    publisher = RecordPublisher(broker, group)
    faults = faults or RecordFaults("web-projector")

    async def project(record: ConsumerRecord) -> None:
        try:
            await projector.project(record)
        except EventDecodeError as exc:
            await publisher.park(topics.WEB_DLT.name, record, type(exc).__name__, str(exc))
        except Exception as exc:  # RetryLater leaves failed() unless the record is to be parked
            reason = await faults.failed(record, exc)
            await publisher.park(topics.WEB_DLT.name, record, "RecordFault", reason)
        else:
            faults.succeeded(record)

    for spec in PROJECTED_TOPICS:

        @broker.subscriber(
            spec.name,
            group_id=group,
            ack_policy=AckPolicy.NACK_ON_ERROR,
            auto_offset_reset="earliest",
            listener=watch.listener() if watch else None,
        )
        async def on_record(msg: KafkaMessage) -> None:
            await project(msg.raw_message)
