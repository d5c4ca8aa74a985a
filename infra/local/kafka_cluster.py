"""A KRaft cluster of N combined broker+controller nodes on one machine: each `KafkaNode` with its
own id, ports and log dir, all voters of one quorum and formatted with one cluster id."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from infra.local.kafka import KafkaNode, new_cluster_id

MAX_INTERNAL_REPLICAS = 3


@dataclass(frozen=True)
class KafkaCluster:
    """`nodes[i]` has node id i + 1 and keeps its data in `data_dir/node-<id>`."""

    nodes: tuple[KafkaNode, ...]

    @classmethod
    def on_ports(
        cls,
        data_dir: Path,
        ports: list[tuple[int, int]],
        heap: str = "384m",
        extra_properties: Mapping[str, str] | None = None,
    ) -> KafkaCluster:
        """One node per `(port, controller_port)`; the cluster id is kept in `data_dir` so a
        node formatted later (or again) joins the same cluster."""
        voters = ",".join(
            f"{node_id}@127.0.0.1:{controller}" for node_id, (_, controller) in _numbered(ports)
        )
        cluster_id = _kept_cluster_id(data_dir)
        replicas = min(MAX_INTERNAL_REPLICAS, len(ports))
        nodes = tuple(
            KafkaNode(
                data_dir / f"node-{node_id}",
                port,
                controller,
                heap=heap,
                extra_properties=dict(extra_properties or {}),
                node_id=node_id,
                quorum_voters=voters,
                internal_replicas=replicas,
                cluster_id=cluster_id,
            )
            for node_id, (port, controller) in _numbered(ports)
        )
        return cls(nodes)

    @property
    def bootstrap_servers(self) -> str:
        return ",".join(node.bootstrap_servers for node in self.nodes)

    def node(self, node_id: int) -> KafkaNode:
        return self.nodes[node_id - 1]


@dataclass
class RunningCluster:
    """The cluster's processes: a node may be killed and started again on its own."""

    cluster: KafkaCluster
    log_dir: Path  # node-<id>.log for each node's output
    processes: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, node_id: int) -> subprocess.Popen[bytes]:
        node = self.cluster.node(node_id)
        with (self.log_dir / f"node-{node_id}.log").open("ab") as log:
            process = node.popen(stdout=log, stderr=subprocess.STDOUT)
        self.processes[node_id] = process
        return process

    def start_all(self) -> None:
        # Format every node before any starts: the quorum needs a majority of formatted voters.
        for node in self.cluster.nodes:
            node.prepare()
        for node in self.cluster.nodes:
            self.start(node.node_id)

    def run_until_stopped(self) -> None:
        """Start every node, wait for SIGTERM, Ctrl-C or a node that exits, then stop them all
        (for `censo infra kafka --brokers N` under the process runner)."""
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        self.start_all()
        try:
            with contextlib.suppress(KeyboardInterrupt):
                while not stop.wait(1.0):
                    if any(process.poll() is not None for process in self.processes.values()):
                        return
        finally:
            self.stop_all()

    def kill(self, node_id: int) -> None:
        process = self.processes.pop(node_id)
        process.kill()
        process.wait()

    def stop_all(self, timeout_s: float = 20.0) -> None:
        """Stop every node at once: one by one, the last would wait for a quorum that is gone."""
        processes = list(self.processes.values())
        self.processes.clear()
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _numbered(ports: list[tuple[int, int]]) -> list[tuple[int, tuple[int, int]]]:
    return list(enumerate(ports, start=1))


def _kept_cluster_id(data_dir: Path) -> str:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "cluster-id"
    if not path.exists():
        path.write_text(new_cluster_id())
    return path.read_text().strip()
