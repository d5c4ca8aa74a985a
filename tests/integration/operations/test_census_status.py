"""`censo ops status` and `censo ops hosts resume` on a real Kafka: the newest report on
census.status with the worker group's lag, in text and JSON; resuming a host, audited."""

from __future__ import annotations

import asyncio
import json
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from aiokafka.structs import ConsumerRecord
from typer.testing import CliRunner

from schemas import topics
from schemas.envelope import encode_event
from services.common.kafka import ensure_topics
from services.common.settings import KafkaSettings
from tests.support.capacity import capacity_report, captcha_account, host_state, open_circuit
from tests.support.kafka import publish, read_topic, start_group_at_end

WORKER_TOPICS = [
    topics.ACCOUNTS.name,
    topics.VALIDATION_REQUESTS.name,
    topics.BULK_VALIDATION_REQUESTS.name,
]


@pytest.fixture
async def reported(kafka_bootstrap: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A worker group with 4 bulk lookups waiting, and a newest report (after an older one)."""
    group = f"census-worker-{secrets.token_hex(4)}"
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", kafka_bootstrap)
    monkeypatch.setenv("WORKER_GROUP_ID", group)
    await ensure_topics(KafkaSettings(bootstrap_servers=kafka_bootstrap))
    await start_group_at_end(kafka_bootstrap, group, WORKER_TOPICS)
    for index in range(4):
        await publish(kafka_bootstrap, topics.BULK_VALIDATION_REQUESTS.name, b"%d" % index, b"{}")
    now = datetime.now(UTC)
    newest = capacity_report(
        hosts=[host_state("wsp", turns_last_minute=6), open_circuit("consultacenso")],
        captcha=captcha_account(balance=0.5, low=5),
        reported_at=now,
    )
    older = capacity_report(hosts=[host_state("wsp")], reported_at=now - timedelta(seconds=20))
    for report in (newest, older):  # the last record is not the newest report
        await publish(kafka_bootstrap, topics.CENSUS_STATUS.name, *encode_event(report)[:2])
    return group


def ops(*args: str):  # type: ignore[no-untyped-def]
    from services.cli import app

    return CliRunner().invoke(app, ["ops", *args], prog_name="censo")


def test_status_as_json_reads_the_newest_report_and_the_lag(reported: str) -> None:
    result = ops("status", "--json")
    assert result.exit_code == 0, result.output
    status = json.loads(result.stdout)
    lanes = {lane["lane"]: lane for lane in status["lanes"]}
    assert lanes["bulk"]["waiting"] == 4 and lanes["bulk"]["group"] == reported
    assert lanes["interactive"]["waiting"] == 0 and lanes["retries"]["waiting"] is None
    assert [host["host"] for host in status["hosts"]] == ["wsp", "consultacenso"]
    assert status["hosts"][0]["budget_used"] == 0.5 and status["hosts"][1]["circuit_open"]
    assert status["eta_s"] == 20 and status["captcha"]["low"] is True  # 4 × 5 s, one host


def test_status_as_text_names_lanes_hosts_the_open_circuit_and_the_balance(reported: str) -> None:
    result = ops("status")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "bulk" in text and "wsp" in text and "50%" in text
    assert "consultacenso: circuit open" in text and '<script>alert("x")</script>' in text
    assert "censo ops hosts resume consultacenso" in text
    assert "4 waiting; ETA less than a minute" in text
    assert "captcha balance low" in text


def test_resume_publishes_the_command_and_the_audit(reported: str, kafka_bootstrap: str) -> None:
    def kept(topic: str) -> list[ConsumerRecord]:  # one partition each: in the order written
        return asyncio.run(read_topic(kafka_bootstrap, topic))

    control, audit = kept(topics.CENSUS_CONTROL.name), kept(topics.OPS_AUDIT.name)
    result = ops("hosts", "resume", "consultacenso")

    assert result.exit_code == 0, result.output
    assert "asked the census workers to resume consultacenso" in result.stdout
    [command] = [json.loads(r.value) for r in kept(topics.CENSUS_CONTROL.name)[len(control) :]]
    assert command["type"] == "CensusHostResumeRequested"
    assert command["data"]["host"] == "consultacenso"
    [action] = [json.loads(r.value) for r in kept(topics.OPS_AUDIT.name)[len(audit) :]]
    assert action["data"]["action"] == "census.resume-host"
    assert action["data"]["target"] == "consultacenso"


def test_an_unknown_host_is_a_usage_error(reported: str) -> None:
    result = ops("hosts", "resume", "no-such-host")
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and "no census host 'no-such-host'" in result.stderr
