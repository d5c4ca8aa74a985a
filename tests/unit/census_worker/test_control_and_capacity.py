"""The operators' commands and the capacity report through the wired worker on FastStream's
in-memory broker: a resume closes a host's circuit and wakes the lookups, a record that is not a
command goes to the dead letters, and the report carries the hosts and the captcha spend."""

from __future__ import annotations

from datetime import UTC, datetime

from faststream.kafka import KafkaBroker, TestKafkaBroker
from faststream.kafka.annotations import KafkaMessage

from schemas import topics
from schemas.envelope import decode_event, encode_event
from schemas.events import (
    EVENT_TYPES,
    CensusCapacityReported,
    CensusHostResumeRequested,
    CensusHostResumeRequestedData,
    CensusHostState,
)
from services.census_worker.adapters.metrics import WorkerMetrics
from services.census_worker.bootstrap import wire_worker
from services.census_worker.service_layer.capacity_report import CaptchaAccount, CaptchaUsage
from services.census_worker.service_layer.open_circuits import OpenCircuits
from services.census_worker.settings import WorkerSettings
from services.common.settings import KafkaSettings
from tests.support.events import user_registered
from tests.support.fakes import ScriptedSource
from tests.support.turns import FakeTurnStore, MemoryCapacity, Row, fake_stores

KAFKA = KafkaSettings(bootstrap_servers="127.0.0.1:9")  # never dialled: the broker is in memory
FAST = WorkerSettings(min_interval_s=0, blocked_cooldown_s=0, fresh_for=0, metrics_port=0)
NOW = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)


def collect(broker: KafkaBroker, topic: str) -> list[bytes]:
    seen: list[bytes] = []

    @broker.subscriber(topic, group_id="test-observer")
    async def observe(msg: KafkaMessage) -> None:
        seen.append(msg.raw_message.value or b"")

    return seen


def resume(host: str) -> CensusHostResumeRequested:
    data = CensusHostResumeRequestedData(host=host, operator="admin@campaña")
    return CensusHostResumeRequested(producer="tests", data=data)


async def test_a_resume_command_closes_the_hosts_circuit() -> None:
    turns = FakeTurnStore(interval_s=0, rows={"wsp": Row(circuit_open=True)})
    circuits = OpenCircuits()
    circuits.opened("wsp")
    worker = wire_worker(
        [ScriptedSource()], FAST, KAFKA, WorkerMetrics(), fake_stores(turns), None, circuits
    )

    async with TestKafkaBroker(worker.broker) as broker:
        key, value, headers = encode_event(resume("wsp"))
        await broker.publish(value, topics.CENSUS_CONTROL.name, key=key, headers=headers)

    assert not turns.rows["wsp"].circuit_open and "wsp" not in circuits


async def test_a_record_on_the_control_topic_that_is_not_a_command_is_dead_lettered() -> None:
    worker = wire_worker([ScriptedSource()], FAST, KAFKA, WorkerMetrics(), fake_stores())
    dead_letters = collect(worker.broker, topics.WORKER_DLT.name)

    async with TestKafkaBroker(worker.broker) as broker:
        await broker.publish(b"{not json", topics.CENSUS_CONTROL.name, key=b"wsp")
        key, value, headers = encode_event(user_registered())
        await broker.publish(value, topics.CENSUS_CONTROL.name, key=key, headers=headers)

    assert len(dead_letters) == 2 and dead_letters[0] == b"{not json"


def host(name: str, open_since: datetime | None = None) -> CensusHostState:
    return CensusHostState(
        host=name,
        next_turn_at=NOW,
        held=False,
        circuit_open_since=open_since,
        circuit_reason="5 unclassifiable answers in a row" if open_since else None,
        last_raw_answer="<p>nuevo</p>" if open_since else None,
        turns_last_minute=3,
        turns_last_hour=40,
    )


async def test_the_report_carries_every_host_and_the_captcha_spend_of_all_workers() -> None:
    capacity = MemoryCapacity(hosts_now=[host("consultacenso"), host("wsp", NOW)])
    capacity.usage["other"] = CaptchaUsage(100, 2, 4.5, NOW)
    mine = CaptchaUsage(400, 1, 3.0, datetime(2026, 12, 8, 9, 0, tzinfo=UTC))
    account = CaptchaAccount(lambda: mine, price_per_1000=3.0, low_balance=5.0)
    stores, circuits = fake_stores(capacity=capacity), OpenCircuits()
    worker = wire_worker(
        [ScriptedSource()], FAST, KAFKA, WorkerMetrics(), stores, account, circuits
    )
    reports = collect(worker.broker, topics.CENSUS_STATUS.name)

    async with TestKafkaBroker(worker.broker):
        event = await worker.reporter.report_once()

    assert event is not None and len(reports) == 1
    decoded = decode_event(reports[0], EVENT_TYPES)
    assert isinstance(decoded, CensusCapacityReported)
    data = decoded.data
    assert [h.host for h in data.hosts] == ["consultacenso", "wsp"]
    assert data.hosts[1].last_raw_answer == "<p>nuevo</p>"
    assert data.captcha is not None
    assert (data.captcha.solves, data.captcha.expired) == (500, 3)
    assert data.captcha.spend_usd == 1.5
    assert (data.captcha.balance_usd, data.captcha.balance_checked_at) == (4.5, NOW)
    assert data.captcha.low
    assert "wsp" in circuits and "consultacenso" not in circuits


async def test_a_worker_that_did_not_claim_the_interval_publishes_nothing() -> None:
    capacity = MemoryCapacity(hosts_now=[host("wsp", NOW)], claimed_by_another=True)
    stores, circuits = fake_stores(capacity=capacity), OpenCircuits()
    worker = wire_worker([ScriptedSource()], FAST, KAFKA, WorkerMetrics(), stores, None, circuits)
    reports = collect(worker.broker, topics.CENSUS_STATUS.name)

    async with TestKafkaBroker(worker.broker):
        event = await worker.reporter.report_once()

    assert event is None and reports == []
    assert "wsp" in circuits  # every worker still learns which circuits are open


async def test_without_a_captcha_key_the_report_has_no_captcha() -> None:
    worker = wire_worker([ScriptedSource()], FAST, KAFKA, WorkerMetrics(), fake_stores())

    async with TestKafkaBroker(worker.broker):
        event = await worker.reporter.report_once()

    assert event is not None and event.data.captcha is None
