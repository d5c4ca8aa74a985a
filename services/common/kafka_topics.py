"""What a declared topic looks like on the cluster: the configs it is created with, and the
refusals of a creation that must stop a start-up (a replication factor the cluster cannot give)."""

from __future__ import annotations

from typing import Any

from aiokafka.errors import TopicAlreadyExistsError, for_code

from schemas.topics import TopicSpec
from services.common.settings import KafkaSettings


class TopicsNotCreated(RuntimeError):
    """The cluster refused to create declared topics (the message says which and why)."""


def declared_configs(spec: TopicSpec, settings: KafkaSettings) -> dict[str, str]:
    """The topic-level configs a topic is created with (and `censo ops topics --check` expects)."""
    return {
        "retention.ms": str(spec.retention_ms),
        "cleanup.policy": spec.cleanup_policy,
        "min.insync.replicas": str(settings.min_insync_replicas),
    }


def raise_for_refusals(response: Any) -> None:
    """aiokafka returns CreateTopics' per-topic errors instead of raising them: raise here, except
    for a topic another process created between our listing and our request."""
    refused = []
    for name, code, *rest in response.topic_errors:
        error = for_code(code)
        if code and error is not TopicAlreadyExistsError:
            message = rest[0] if rest and rest[0] else error.__name__
            refused.append(f"{name}: {message}")
    if refused:
        raise TopicsNotCreated(f"Kafka refused to create topics: {'; '.join(refused)}")
