"""A broker that keeps what it is asked to publish, under the real `RecordPublisher`, so the
headers of parked records are the ones the worker really writes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Published:
    topic: str
    key: bytes | None
    value: bytes
    headers: dict[str, str]


class RecordingBroker:
    """Stands in for FastStream's KafkaBroker where only `publish` is used."""

    def __init__(self) -> None:
        self.published: list[Published] = []

    async def publish(
        self,
        message: bytes,
        topic: str,
        *,
        key: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.published.append(Published(topic, key, message, dict(headers or {})))

    def on(self, topic: str) -> list[Published]:
        return [record for record in self.published if record.topic == topic]
