"""The clients an inspection needs: an admin client and a group-less consumer, and the
partitions of the topics that exist."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from services.common.kafka import kafka_admin, kafka_consumer, start_client
from services.common.settings import KafkaSettings

KafkaClients = tuple[AIOKafkaAdminClient, AIOKafkaConsumer]


@asynccontextmanager
async def kafka_clients(settings: KafkaSettings) -> AsyncIterator[KafkaClients]:
    """An admin client and a group-less consumer (for offsets), closed on exit."""
    admin = kafka_admin(settings, "ops")
    consumer = kafka_consumer(settings, "ops")
    try:  # both close even after a failed or interrupted start (Kafka out of reach, a timeout)
        await start_client(admin, settings)
        await consumer.start()
        yield admin, consumer
    finally:
        await consumer.stop()
        await admin.close()


async def partitions_of(admin: AIOKafkaAdminClient, topics: list[str]) -> list[TopicPartition]:
    """Partitions of the existing topics among `topics`, in order; unknown topics are skipped."""
    existing = set(await admin.list_topics())
    wanted = [topic for topic in topics if topic in existing]
    described = await admin.describe_topics(wanted) if wanted else []
    return sorted(
        TopicPartition(topic["topic"], part["partition"])
        for topic in described
        for part in topic["partitions"]
    )
