"""How the live topics differ from `schemas/topics.py` and the replication settings: partitions,
replication factor and the topic configs they were created with (`censo ops topics --check`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from schemas.topics import TopicSpec
from services.common.kafka_topics import declared_configs
from services.common.settings import KafkaSettings


@dataclass(frozen=True)
class TopicDifference:
    topic: str
    setting: str  # "topic" (missing), "partitions", "replication.factor" or a topic config
    declared: str
    live: str


async def topic_differences(
    admin: AIOKafkaAdminClient, specs: Iterable[TopicSpec], settings: KafkaSettings
) -> list[TopicDifference]:
    """Every way the cluster's topics differ from their declaration, topic by topic."""
    specs = list(specs)
    existing = set(await admin.list_topics())
    present = [spec for spec in specs if spec.name in existing]
    layouts = await _layouts(admin, [spec.name for spec in present])
    configs = await _configs(admin, [spec.name for spec in present])
    differences = []
    for spec in specs:
        if spec.name not in existing:
            differences.append(TopicDifference(spec.name, "topic", "present", "missing"))
            continue
        partitions, replicas = layouts[spec.name]
        declared = {
            "partitions": str(spec.partitions),
            "replication.factor": str(settings.replication_factor),
            **declared_configs(spec, settings),
        }
        live = {"partitions": partitions, "replication.factor": replicas, **configs[spec.name]}
        differences += [
            TopicDifference(spec.name, name, value, live.get(name, "-"))
            for name, value in declared.items()
            if live.get(name) != value
        ]
    return differences


async def _layouts(admin: AIOKafkaAdminClient, names: list[str]) -> dict[str, tuple[str, str]]:
    """Partition count and replication factor (`2-3` when partitions disagree) per topic."""
    described = await admin.describe_topics(names) if names else []
    layouts = {}
    for topic in described:
        factors = sorted({len(partition["replicas"]) for partition in topic["partitions"]})
        replicas = "-".join(str(factor) for factor in dict.fromkeys((factors[0], factors[-1])))
        layouts[topic["topic"]] = (str(len(topic["partitions"])), replicas)
    return layouts


async def _configs(admin: AIOKafkaAdminClient, names: list[str]) -> dict[str, dict[str, str]]:
    """Every config of each topic, as the broker reports it (defaults included)."""
    if not names:
        return {}
    resources = [ConfigResource(ConfigResourceType.TOPIC, name) for name in names]
    responses: list[Any] = await admin.describe_configs(resources)
    # Each resource is (error code, error message, type, name, entries); each entry starts with
    # (name, value): the same positions in every version of the response.
    return {
        resource[3]: {entry[0]: entry[1] for entry in resource[4]}
        for response in responses
        for resource in response.resources
    }
