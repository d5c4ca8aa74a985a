"""One Apache Kafka node in KRaft mode (alone, or one of a `KafkaCluster`), assembled from Maven
Central artifacts.

The jars come from `infra/kafka/pom.xml` (`mvn dependency:copy-dependencies`); storage is formatted
on first start and kept under the state folder, so a restart loses nothing.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from infra.local.kafka_jars import ensure_jars
from infra.local.paths import KAFKA_POM_DIR

_Sink = int | IO[bytes] | None  # what subprocess accepts for stdout and stderr


MAIN_CLASS = "kafka.Kafka"
STORAGE_TOOL = "kafka.tools.StorageTool"


@dataclass(frozen=True)
class KafkaNode:
    """One combined broker+controller listening on 127.0.0.1.

    PLAINTEXT on `port` always (brokers talk to each other there); `extra_listeners` adds more,
    named after their security protocol (`{"SASL_SSL": 9094}`), with what they need (keystore,
    SASL mechanisms) in `extra_properties`; `format_options` go to the storage format of a new
    node (`--add-scram …` creates SCRAM users before the first start).

    Alone by default: node 1, the only voter of its quorum, internal topics on one replica. A
    `KafkaCluster` gives each of its nodes an id, the shared voters, cluster id and replication.
    """

    data_dir: Path
    port: int = 9092
    controller_port: int = 9093
    heap: str = "512m"
    extra_listeners: Mapping[str, int] = field(default_factory=dict)
    extra_properties: Mapping[str, str] = field(default_factory=dict)
    format_options: tuple[str, ...] = ()
    node_id: int = 1
    quorum_voters: str = ""  # `id@host:port,…`; empty: this node alone
    internal_replicas: int = 1  # replicas of Kafka's own topics (offsets, transactions, shares)
    cluster_id: str = ""  # the id every node of a cluster is formatted with; empty: a new one

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def config_file(self) -> Path:
        return self.data_dir / "server.properties"

    def properties(self) -> dict[str, str]:
        brokers = {"PLAINTEXT": self.port, **self.extra_listeners}
        advertised = ",".join(f"{name}://127.0.0.1:{port}" for name, port in brokers.items())
        protocols = ",".join(f"{name}:{name}" for name in brokers)
        voters = self.quorum_voters or f"{self.node_id}@127.0.0.1:{self.controller_port}"
        return {
            "process.roles": "broker,controller",
            "node.id": str(self.node_id),
            "controller.quorum.voters": voters,
            "listeners": f"{advertised},CONTROLLER://127.0.0.1:{self.controller_port}",
            "advertised.listeners": advertised,
            "inter.broker.listener.name": "PLAINTEXT",
            "controller.listener.names": "CONTROLLER",
            "listener.security.protocol.map": f"CONTROLLER:PLAINTEXT,{protocols}",
            "log.dirs": str(self.data_dir / "logs"),
            "offsets.topic.num.partitions": "8",
            **self._internal_topics(),
            "group.initial.rebalance.delay.ms": "0",
            "auto.create.topics.enable": "false",
            "num.partitions": "1",
            **self.extra_properties,
        }

    def _internal_topics(self) -> dict[str, str]:
        """Kafka's own topics replicated like ours: a committed offset or a transaction's state
        survives a broker (min.insync 2 of 3), and a single node still works (1 of 1)."""
        replicas = str(self.internal_replicas)
        in_sync = str(min(2, self.internal_replicas))
        return {
            "offsets.topic.replication.factor": replicas,
            "transaction.state.log.replication.factor": replicas,
            "transaction.state.log.min.isr": in_sync,
            "share.coordinator.state.topic.replication.factor": replicas,
            "share.coordinator.state.topic.min.isr": in_sync,
            "default.replication.factor": replicas,
            "min.insync.replicas": in_sync,
        }

    def java_command(self, main_class: str, *args: str) -> list[str]:
        java = shutil.which("java") or "java"
        log_config = KAFKA_POM_DIR / "log4j2.properties"
        return [
            java,
            f"-Xms{self.heap}",
            f"-Xmx{self.heap}",
            "-XX:+UseG1GC",
            f"-Dlog4j2.configurationFile={log_config}",
            "-cp",
            f"{ensure_jars()}/*",
            main_class,
            *args,
        ]

    def prepare(self) -> None:
        """Write the config and format storage on first start (idempotent)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.config_file.write_text(
            "".join(f"{key}={value}\n" for key, value in self.properties().items())
        )
        if not (self.data_dir / "logs" / "meta.properties").exists():
            cluster_id = self.cluster_id or new_cluster_id()
            subprocess.run(
                self.java_command(
                    # `--cluster-id=…` in one argument: an id may start with "-", which the
                    # tool would otherwise read as an option (1 in 32 ids) and refuse.
                    STORAGE_TOOL,
                    "format",
                    f"--cluster-id={cluster_id}",
                    "-c",
                    str(self.config_file),
                    *self.format_options,
                ),
                check=True,
                stdout=subprocess.DEVNULL,
            )

    def popen(self, stdout: _Sink = None, stderr: _Sink = None) -> subprocess.Popen[bytes]:
        """Start the broker as a child process (the caller stops it)."""
        self.prepare()
        return subprocess.Popen(
            self.java_command(MAIN_CLASS, str(self.config_file)), stdout=stdout, stderr=stderr
        )

    def exec(self) -> None:
        """Replace this process with the broker (for the process runner)."""
        self.prepare()
        command = self.java_command(MAIN_CLASS, str(self.config_file))
        os.execv(command[0], command)


def new_cluster_id() -> str:
    """A Kafka cluster id: 16 random bytes, URL-safe base64 without padding."""
    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
