"""FastStream subscribers of the census worker: account events and validation requests."""

from __future__ import annotations

from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from schemas import topics
from services.census_worker.entrypoints.records import RecordHandler


def register_subscribers(
    broker: KafkaBroker, handler: RecordHandler, group: str, workers: int
) -> None:
    """One subscriber per input topic; `workers` partitions of each are processed concurrently.

    NACK_ON_ERROR: a record is committed only after its outcome was published; if publishing
    fails (Kafka unreachable) the record is delivered again instead of being lost. Bad payloads
    never raise (they are dead-lettered), so this cannot become a hot loop on a poison record.
    """
    for topic in (topics.ACCOUNTS.name, topics.VALIDATION_REQUESTS.name):

        @broker.subscriber(
            topic,
            group_id=group,
            ack_policy=AckPolicy.NACK_ON_ERROR,
            max_workers=workers,
            auto_offset_reset="earliest",
            max_poll_interval_ms=600_000,
        )
        async def on_record(msg: KafkaMessage) -> None:
            await handler.handle(msg.raw_message)
