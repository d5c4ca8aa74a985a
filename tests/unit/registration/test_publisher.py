"""The relay's sending rule: one key's rows strictly in order, stopping at its first failure."""

from __future__ import annotations

from aiokafka.errors import KafkaTimeoutError

from services.common.settings import KafkaSettings
from services.registration.adapters.outbox_store import OutboxRecord
from services.registration.outbox.publisher import KafkaPublisher


class FakeProducer:
    def __init__(self, failing_ids: set[int] = frozenset()) -> None:  # type: ignore[assignment]
        self.failing = {str(i).encode() for i in failing_ids}
        self.sent: list[tuple[bytes, bytes]] = []

    async def send_and_wait(self, topic: str, value: bytes, key: bytes, headers: list) -> None:
        if value in self.failing:
            raise KafkaTimeoutError()
        self.sent.append((key, value))


def record(record_id: int, key: str) -> OutboxRecord:
    return OutboxRecord(
        record_id, "accounts.events", key.encode(), str(record_id).encode(), {"ce_id": "x"}
    )


def publisher_with(producer: FakeProducer) -> KafkaPublisher:
    publisher = KafkaPublisher(KafkaSettings(bootstrap_servers="127.0.0.1:1"))
    publisher._producer = producer  # type: ignore[assignment]
    return publisher


async def test_rows_of_one_key_are_sent_in_id_order() -> None:
    producer = FakeProducer()
    rows = [record(1, "a"), record(2, "b"), record(3, "a"), record(4, "a"), record(5, "b")]
    delivered, error = await publisher_with(producer).publish(rows)
    assert (delivered, error) == ([1, 2, 3, 4, 5], None)
    assert [value for key, value in producer.sent if key == b"a"] == [b"1", b"3", b"4"]


async def test_a_failure_holds_back_the_later_rows_of_that_key_only() -> None:
    producer = FakeProducer(failing_ids={3})
    rows = [record(1, "a"), record(2, "b"), record(3, "a"), record(4, "a"), record(5, "b")]
    delivered, error = await publisher_with(producer).publish(rows)
    assert delivered == [1, 2, 5]
    assert isinstance(error, KafkaTimeoutError)
    assert b"4" not in [value for _, value in producer.sent]
