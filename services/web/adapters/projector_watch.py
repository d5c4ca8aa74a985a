"""What readiness and the metrics need to know about the projector's consumers: whether each has
joined its group (an assignment arrived, even an empty one: a process beyond the partitions' count
is still healthy), whether Kafka answers, and how many records wait on the assigned partitions."""

from __future__ import annotations

import asyncio

from aiokafka import ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import KafkaError
from faststream.kafka import KafkaBroker

PING_TIMEOUT_S = 2.0
POSITION_TIMEOUT_S = 1.0


class JoinedListener(ConsumerRebalanceListener):  # type: ignore[misc]  # aiokafka ships no types
    def __init__(self) -> None:
        self.joined = False

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        """Nothing: a rebalance is brief, and the process stays ready through it."""

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        self.joined = True


class ProjectorWatch:
    def __init__(self) -> None:
        self._listeners: list[JoinedListener] = []
        self._broker: KafkaBroker | None = None

    def listener(self) -> JoinedListener:
        """The rebalance listener for one more subscriber."""
        listener = JoinedListener()
        self._listeners.append(listener)
        return listener

    def watch(self, broker: KafkaBroker) -> None:
        self._broker = broker

    @property
    def joined(self) -> bool:
        return bool(self._listeners) and all(listener.joined for listener in self._listeners)

    async def reachable(self) -> bool:
        return self._broker is not None and await self._broker.ping(PING_TIMEOUT_S)

    async def lag(self) -> int:
        """Records on the assigned partitions not yet handed to the projector (as of the last
        fetch: no call to Kafka)."""
        waiting = 0
        for subscriber in self._broker.subscribers if self._broker else ():
            consumer = getattr(subscriber, "consumer", None)
            if consumer is None:
                continue
            for partition in consumer.assignment():
                highwater = consumer.highwater(partition)
                try:
                    async with asyncio.timeout(POSITION_TIMEOUT_S):
                        position = await consumer.position(partition)
                except (KafkaError, TimeoutError):  # revoked or being reset meanwhile
                    continue
                if highwater is not None:
                    waiting += max(highwater - position, 0)
        return waiting
