"""The event flow as the Operación page sees it: topics, consumer groups' lag, dead letters,
sending dead letters back, resuming a census host, auditing an admin's settings. It reads Kafka
through services.kafka_admin (as `censo ops` does), every call bounded by a timeout, so a Kafka
out of reach becomes `KafkaUnreachable`, never a page that hangs or fails."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiokafka.errors import KafkaError

from schemas.topics import ALL_TOPICS
from services.common.kafka import kafka_producer
from services.common.settings import KafkaSettings
from services.kafka_admin import census_hosts, dead_letters
from services.kafka_admin.audit import record_action
from services.kafka_admin.browse import RecordFilter, RecordView, view
from services.kafka_admin.clients import kafka_clients
from services.kafka_admin.groups import all_groups, group_lags
from services.kafka_admin.topics import topic_states


class KafkaUnreachable(RuntimeError):
    """Kafka did not answer in time (down, or out of reach from this process)."""


@dataclass(frozen=True)
class TopicSummary:
    name: str
    partitions: int
    messages: int  # what the topic still holds (retention removes older records)
    end: int  # records ever written: the sum of the partitions' end offsets
    dead_letters: bool


@dataclass(frozen=True)
class GroupSummary:
    group: str
    state: str
    topic: str
    partitions: int
    lag: int


@dataclass(frozen=True)
class FlowOverview:
    topics: list[TopicSummary]
    groups: list[GroupSummary]

    def messages_in(self, topic: str) -> int:
        return next((t.messages for t in self.topics if t.name == topic), 0)


class EventFlow:
    def __init__(
        self, settings: KafkaSettings, timeout_s: float = 5.0, redrive_timeout_s: float = 120.0
    ) -> None:
        self._settings = settings
        self._timeout_s = timeout_s
        self._redrive_timeout_s = redrive_timeout_s

    @asynccontextmanager
    async def _bounded(self, seconds: float) -> AsyncIterator[None]:
        try:
            async with asyncio.timeout(seconds):
                yield
        except (KafkaError, OSError, TimeoutError) as exc:
            raise KafkaUnreachable(f"{self._settings.bootstrap_servers}: {exc!r}") from exc

    async def overview(self) -> FlowOverview:
        """Every declared topic with its counts, and every consumer group's lag per topic."""
        async with self._bounded(self._timeout_s), kafka_clients(self._settings) as clients:
            admin, consumer = clients
            states = await topic_states(admin, consumer, [spec.name for spec in ALL_TOPICS])
            lags = [lag for g in await all_groups(admin) for lag in await group_lags(*clients, g)]
        topics = []
        for spec in ALL_TOPICS:
            mine = [s for s in states if s.topic == spec.name]
            topics.append(
                TopicSummary(
                    spec.name,
                    len(mine),
                    sum(s.messages for s in mine),
                    sum(s.end for s in mine),
                    spec.name in dead_letters.DEAD_LETTER_TOPICS,
                )
            )
        groups: dict[tuple[str, str], GroupSummary] = {}
        for lag in lags:
            key = (lag.group, lag.topic)
            seen = groups.get(key, GroupSummary(lag.group, lag.state, lag.topic, 0, 0))
            groups[key] = GroupSummary(
                lag.group, lag.state, lag.topic, seen.partitions + 1, seen.lag + lag.lag
            )
        return FlowOverview(topics, sorted(groups.values(), key=lambda g: (g.group, g.topic)))

    async def letters(self, dlt: str, limit: int) -> list[RecordView]:
        """The oldest `limit` letters still kept in `dlt`, with their failure headers."""
        async with self._bounded(self._timeout_s), kafka_clients(self._settings) as clients:
            return [
                view(r) async for r in dead_letters.letters(clients, dlt, RecordFilter(), limit)
            ]

    async def redrive(
        self,
        dlt: str,
        operator: str,
        at: set[tuple[int, int]] | None = None,
        progress: Callable[[int], None] = lambda _: None,
    ) -> dead_letters.RedriveReport:
        """Every letter of `dlt` (or those at (partition, offset)) back to its original topic,
        recorded on ops.audit first with `operator` as who did it. Never forced: letters an
        earlier redrive sent stay, like truncated and undecodable ones (`dead_letters.redrive`)."""
        producer = kafka_producer(self._settings, "web-ops")
        try:
            async with self._bounded(self._redrive_timeout_s):
                await producer.start()
                async with kafka_clients(self._settings) as clients:
                    return await dead_letters.redrive(
                        clients, producer, dlt, RecordFilter(), at, progress, operator
                    )
        finally:
            await producer.stop()

    async def resume_host(self, host: str, operator: str) -> None:
        """Ask the census workers to resume `host` (its circuit open), audited as `operator`."""
        producer = kafka_producer(self._settings, "web-ops")
        try:
            async with self._bounded(self._timeout_s):
                await producer.start()
                await census_hosts.request_resume(producer, host, operator)
        finally:
            await producer.stop()

    async def audit(self, action: str, target: str, operator: str, **details: str) -> None:
        """Record an admin's change of a setting on ops.audit, as `operator`."""
        producer = kafka_producer(self._settings, "web-ops")
        try:
            async with self._bounded(self._timeout_s):
                await producer.start()
                await record_action(producer, action, target, 1, operator, **details)
        finally:
            await producer.stop()
