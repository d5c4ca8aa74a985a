"""The project's own Kafka and PostgreSQL come up, keep data across restarts and take topics."""

from __future__ import annotations

from pathlib import Path

import asyncpg
from aiokafka.admin import AIOKafkaAdminClient

from infra.local import kafka
from infra.local.postgres import PostgresCluster
from schemas.topics import ALL_TOPICS
from services.common.kafka import ensure_topics
from services.common.settings import KafkaSettings
from tests.support.infra import free_port, running_kafka


async def test_declared_topics_are_created_once_with_their_partitions(kafka_bootstrap: str) -> None:
    settings = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    await ensure_topics(settings)
    assert await ensure_topics(settings) == []  # idempotent

    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics([spec.name for spec in ALL_TOPICS])
    finally:
        await admin.close()
    partitions = {topic["topic"]: len(topic["partitions"]) for topic in described}
    assert partitions == {spec.name: spec.partitions for spec in ALL_TOPICS}


async def test_database_is_created_once_and_reachable(postgres_cluster: PostgresCluster) -> None:
    assert postgres_cluster.create_database("infra_check") is True
    assert postgres_cluster.create_database("infra_check") is False
    conn = await asyncpg.connect(postgres_cluster.url("infra_check", driver="postgresql"))
    try:
        assert await conn.fetchval("SELECT 1") == 1
    finally:
        await conn.close()


async def test_kafka_keeps_its_topics_across_a_restart(infra_dir: Path) -> None:
    with running_kafka(infra_dir) as node:
        settings = KafkaSettings(bootstrap_servers=node.bootstrap_servers)
        await ensure_topics(settings)
    with running_kafka(infra_dir, node):
        assert await ensure_topics(KafkaSettings(bootstrap_servers=node.bootstrap_servers)) == []


def test_storage_is_formatted_even_when_the_cluster_id_starts_with_a_dash(tmp_path: Path) -> None:
    # One random id in 32 starts with "-": the storage tool must not read it as an option.
    cluster_id = "-2M99aChQvCMs8kMEYQOMg"
    node = kafka.KafkaNode(tmp_path / "kafka", free_port(), free_port(), cluster_id=cluster_id)

    node.prepare()

    meta = (node.data_dir / "logs" / "meta.properties").read_text()
    assert "cluster.id=-2M99aChQvCMs8kMEYQOMg" in meta
