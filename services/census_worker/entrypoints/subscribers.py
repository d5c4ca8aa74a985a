"""FastStream subscribers of the census worker: account events and both lanes of requests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from schemas import topics
from services.census_worker.domain.turns import Lane
from services.census_worker.entrypoints.records import RecordHandler
from services.census_worker.entrypoints.start_position import StartWithinLookback

# Sign-ups (on the account events) and single refreshes are waited for by a person; bulk
# re-checks and redrives have their own topic, so they never queue ahead of those in a partition.
INPUT_LANES: Mapping[str, Lane] = {
    topics.ACCOUNTS.name: Lane.INTERACTIVE,
    topics.VALIDATION_REQUESTS.name: Lane.INTERACTIVE,
    topics.BULK_VALIDATION_REQUESTS.name: Lane.BULK,
}


def register_subscribers(
    broker: KafkaBroker,
    handlers: Mapping[str, RecordHandler],
    group: str,
    workers: int,
    unread_lookback_s: float | None = None,
) -> None:
    """One subscriber per input topic (`handlers`: topic → the handler of its lane); `workers`
    partitions of each are processed concurrently. A partition without a committed offset starts
    `unread_lookback_s` back (`start_position.py`); None: at the earliest record (tests).

    NACK_ON_ERROR: a record is committed only after its outcome was published; if publishing
    fails (Kafka unreachable) the record is delivered again instead of being lost. Bad payloads
    never raise (they are dead-lettered), so this cannot become a hot loop on a poison record.
    """
    for topic, handler in handlers.items():
        listener = None if unread_lookback_s is None else StartWithinLookback(unread_lookback_s)
        subscriber = broker.subscriber(
            topic,
            group_id=group,
            ack_policy=AckPolicy.NACK_ON_ERROR,
            max_workers=workers,
            # With a lookback, a partition without a committed offset is reset to its end (never
            # to the beginning of history), and the listener moves it back to the lookback.
            auto_offset_reset="earliest" if listener is None else "latest",
            max_poll_interval_ms=600_000,
            listener=listener,
        )
        if listener is not None:
            listener.read_from(subscriber)
        subscriber(_handling(handler))


def _handling(handler: RecordHandler) -> Callable[[KafkaMessage], Awaitable[None]]:
    async def on_record(msg: KafkaMessage) -> None:
        await handler.handle(msg.raw_message)

    return on_record
