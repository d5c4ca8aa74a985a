"""What each node of a local cluster is configured with, and that a lone node stays as it was."""

from __future__ import annotations

from pathlib import Path

from infra.local.kafka import KafkaNode
from infra.local.kafka_cluster import KafkaCluster


def test_three_nodes_share_one_quorum_and_replicate_kafkas_own_topics(tmp_path: Path) -> None:
    cluster = KafkaCluster.on_ports(tmp_path, [(9100, 9101), (9102, 9103), (9104, 9105)])
    configs = [node.properties() for node in cluster.nodes]

    assert [config["node.id"] for config in configs] == ["1", "2", "3"]
    voters = "1@127.0.0.1:9101,2@127.0.0.1:9103,3@127.0.0.1:9105"
    assert {config["controller.quorum.voters"] for config in configs} == {voters}
    assert len({config["log.dirs"] for config in configs}) == 3
    assert {config["offsets.topic.replication.factor"] for config in configs} == {"3"}
    assert {config["transaction.state.log.min.isr"] for config in configs} == {"2"}
    assert len({node.cluster_id for node in cluster.nodes}) == 1
    assert cluster.bootstrap_servers == "127.0.0.1:9100,127.0.0.1:9102,127.0.0.1:9104"


def test_the_cluster_id_is_kept_so_a_node_formatted_later_joins_the_same_cluster(
    tmp_path: Path,
) -> None:
    ports = [(9100, 9101), (9102, 9103)]
    first = KafkaCluster.on_ports(tmp_path, ports).nodes[0].cluster_id
    assert KafkaCluster.on_ports(tmp_path, ports).nodes[1].cluster_id == first
    assert KafkaCluster.on_ports(tmp_path, ports).node(2).properties()["min.insync.replicas"] == "2"


def test_a_lone_node_is_node_1_alone_in_its_quorum_with_one_replica(tmp_path: Path) -> None:
    config = KafkaNode(tmp_path, 9092, 9093).properties()

    assert config["node.id"] == "1"
    assert config["controller.quorum.voters"] == "1@127.0.0.1:9093"
    assert config["offsets.topic.replication.factor"] == "1"
    assert config["min.insync.replicas"] == "1"
