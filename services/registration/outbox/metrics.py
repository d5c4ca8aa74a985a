"""What the outbox relay says about itself on its operations endpoint: rows published, whether it
leads, and readiness (its database answers and Kafka took the last batch)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge

from services.common.ops_http import READY, Readiness


class RelayMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        # Kafka is `ok` until a batch fails: a standby relay never calls it.
        self.readiness = Readiness(database="starting", kafka=READY)
        self.published = Counter(
            "outbox_relay_published", "Outbox rows Kafka acknowledged.", registry=self.registry
        )
        self.leading = Gauge(
            "outbox_relay_leading",
            "1 while this relay holds the publishing lock, 0 on standby.",
            registry=self.registry,
        )
        self.failures = Counter(
            "outbox_relay_failures",
            "Batches or lock attempts that failed, by what failed.",
            ["cause"],
            registry=self.registry,
        )

    def database_failed(self, exc: BaseException) -> None:
        self.readiness.set("database", f"error: {type(exc).__name__}")
        self.failures.labels("database").inc()
        self.leading.set(0)

    def kafka_failed(self, exc: BaseException) -> None:
        self.readiness.set("kafka", f"error: {type(exc).__name__}")
        self.failures.labels("kafka").inc()

    def lock_tried(self, leading: bool) -> None:
        self.readiness.set("database", READY)
        self.leading.set(1 if leading else 0)

    def batch_published(self, rows: int) -> None:
        self.readiness.set("kafka", READY)
        self.published.inc(rows)
