"""deploy/compose.yaml runs real `censo` commands with real settings: three brokers,
PostgreSQL, the one-shot topic and migration steps, and every kind of process, each watched by
its health endpoint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from services.configuration import known_names
from tests.unit.deployment.censo_commands import resolve

ROOT = Path(__file__).resolve().parents[3]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "deploy/compose.yaml").read_text())
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
CENSO = {name: s for name, s in SERVICES.items() if s.get("build", {}).get("dockerfile")}
LONG_RUNNING = {name: s for name, s in CENSO.items() if s.get("restart") != "no"}


def test_the_censo_services_are_built_from_the_containerfile() -> None:
    for service in CENSO.values():
        assert (ROOT / "deploy" / service["build"]["context"] / "Containerfile").is_file()
    assert len(CENSO) >= 9


@pytest.mark.parametrize("name", sorted(CENSO))
def test_every_command_is_a_censo_command(name: str) -> None:
    resolve([str(word) for word in CENSO[name]["command"]])


@pytest.mark.parametrize("name", sorted(CENSO))
def test_every_variable_set_is_a_setting(name: str) -> None:
    unknown = set(CENSO[name].get("environment", {})) - known_names()
    assert not unknown, f"{name} sets what no process reads: {sorted(unknown)}"


def test_every_process_of_the_campaign_runs() -> None:
    commands = [" ".join(map(str, s["command"])) for s in LONG_RUNNING.values()]
    for needed, count in {
        "registration serve": 1,
        "registration relay": 2,  # one publishing, one standby
        "worker run": 1,
        "web serve": 2,
    }.items():
        assert commands.count(needed) >= count, f"{count}× `censo {needed}`"
    workers = next(s for s in LONG_RUNNING.values() if s["command"] == ["worker", "run"])
    assert workers["deploy"]["replicas"] >= 2


def test_topics_and_migrations_come_before_the_processes_in_production() -> None:
    one_shot = {" ".join(s["command"]) for s in CENSO.values() if s.get("restart") == "no"}
    steps = {"infra kafka-topics", "registration migrate", "web migrate", "worker migrate"}
    assert steps <= one_shot
    for name, service in LONG_RUNNING.items():
        environment = service.get("environment", {})
        for switch in ("REGISTRATION_ENVIRONMENT", "WEB_ENVIRONMENT", "WORKER_ENVIRONMENT"):
            assert environment.get(switch, "production") == "production", name
        waits_for = service.get("depends_on", {})
        assert all(dep in SERVICES for dep in waits_for), name


@pytest.mark.parametrize("name", sorted(set(LONG_RUNNING) - {"simulator"}))
def test_every_process_is_watched_on_its_readiness_endpoint(name: str) -> None:
    probe = " ".join(LONG_RUNNING[name]["healthcheck"]["test"])
    assert "/health/ready" in probe
    environment = LONG_RUNNING[name]["environment"]
    ports = [v for k, v in environment.items() if k.endswith("_PORT")]
    assert any(f":{port}/" in probe for port in ports), f"{name} probes another port"


def test_three_kafka_brokers_in_one_quorum_and_topics_at_three_replicas() -> None:
    brokers = {n: s["environment"] for n, s in SERVICES.items() if n.startswith("kafka-")}
    brokers.pop("kafka-topics")
    assert {env["KAFKA_NODE_ID"] for env in brokers.values()} == {"1", "2", "3"}
    voters = {env["KAFKA_CONTROLLER_QUORUM_VOTERS"] for env in brokers.values()}
    assert voters == {"1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093"}
    assert all(env["KAFKA_MIN_INSYNC_REPLICAS"] == "2" for env in brokers.values())
    clients = SERVICES["kafka-topics"]["environment"]
    assert clients["KAFKA_REPLICATION_FACTOR"] == "3"
    assert clients["KAFKA_MIN_INSYNC_REPLICAS"] == "2"
    assert clients["KAFKA_BOOTSTRAP_SERVERS"].count(",") == 2
