"""Redriving dead letters, on an in-memory broker: bad letters stay, each letter goes home once,
and the audit record (listing the letters) is written before any of them."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiokafka.structs import ConsumerRecord

from schemas import topics
from schemas.events import ValidationReason, ValidationRequested, ValidationRequestedData
from services.common.failures import ORIGINAL_TOPIC, TRUNCATED_FROM
from services.kafka_admin import dead_letters, redrive_marks
from services.kafka_admin.browse import RecordFilter
from services.kafka_admin.dead_letters import Skip, redrive
from services.kafka_admin.redrive_marks import parse_spots, spot_texts
from tests.support.events import record, user_registered

DLT = topics.WORKER_DLT.name


class Broker:
    """Topics as lists; a producer that appends, a reader that lists, and a way to fail."""

    def __init__(self) -> None:
        self.topics: dict[str, list[ConsumerRecord]] = {}
        self.sent: list[str] = []  # topics in the order records reached them
        self.fail_after: int | None = None  # sends to home topics before the broker goes
        self.hang = False  # the broker stops answering instead (a timeout cancels the redrive)

    def park(self, letter: ConsumerRecord) -> None:
        kept = self.topics.setdefault(DLT, [])
        kept.append(dataclasses.replace(letter, topic=DLT, partition=0, offset=len(kept)))

    async def send_and_wait(self, topic: str, value: bytes, key: bytes, headers: Any) -> None:
        homes = [t for t in self.sent if t != topics.OPS_AUDIT.name]
        if topic != topics.OPS_AUDIT.name and self.fail_after == len(homes):
            if self.hang:
                await asyncio.Event().wait()
            raise ConnectionError("broker gone")
        kept = self.topics.setdefault(topic, [])
        kept.append(
            ConsumerRecord(topic, 0, len(kept), 0, 0, key, value, None, 0, 0, list(headers))
        )
        self.sent.append(topic)

    async def records(
        self, clients: object, topic: str, where: RecordFilter, limit: int | None = None
    ) -> AsyncIterator[ConsumerRecord]:
        for kept in list(self.topics.get(topic, [])):
            if where.matches(kept):
                yield kept

    def audits(self) -> list[dict[str, Any]]:
        return [json.loads(r.value)["data"] for r in self.topics.get(topics.OPS_AUDIT.name, [])]


@pytest.fixture
def broker(monkeypatch: pytest.MonkeyPatch) -> Broker:
    fake = Broker()
    monkeypatch.setattr(dead_letters, "records", fake.records)
    monkeypatch.setattr(redrive_marks, "records", fake.records)
    return fake


def _letter(origin: str | None, value: bytes | None = None, **headers: str) -> ConsumerRecord:
    base = record(user_registered())
    kept = {**({ORIGINAL_TOPIC: origin} if origin else {}), **headers}
    return dataclasses.replace(
        base,
        value=base.value if value is None else value,
        headers=[(n, v.encode()) for n, v in kept.items()],
    )


def _request() -> ConsumerRecord:
    registered = user_registered("52123456")
    data = ValidationRequestedData(
        user_id=registered.data.user_id, cedula="52123456", reason=ValidationReason.REFRESH
    )
    request = record(ValidationRequested(producer="tests", data=data))
    return dataclasses.replace(request, headers=[(ORIGINAL_TOPIC, request.topic.encode())])


async def _redrive(broker: Broker, **options: Any) -> dead_letters.RedriveReport:
    return await redrive(None, broker, DLT, RecordFilter(), **options)  # type: ignore[arg-type]  # fakes stand for aiokafka's clients


async def test_only_good_letters_go_home_and_the_audit_comes_first(broker: Broker) -> None:
    broker.park(
        _letter(
            topics.ACCOUNTS.name, b'{"type": "UserRegistered", "vers', **{TRUNCATED_FROM: "2000000"}
        )
    )
    broker.park(_letter(topics.ACCOUNTS.name, b'{"not": "an event"}'))
    broker.park(_letter(topics.ACCOUNTS.name))
    broker.park(_request())
    broker.park(_letter(None))
    broker.park(_letter(topics.WEB_DLT.name))

    report = await _redrive(broker)

    assert report.redriven == 2
    assert report.skipped == {
        Skip.TRUNCATED: 1,
        Skip.UNDECODABLE: 1,
        Skip.NO_ORIGIN: 1,
        Skip.FEEDS_DLT: 1,
    }
    assert broker.sent == [
        topics.OPS_AUDIT.name,
        topics.ACCOUNTS.name,
        topics.BULK_VALIDATION_REQUESTS.name,
    ]
    assert [r.offset for r in broker.topics[topics.ACCOUNTS.name]] == [0]  # only the good one
    [audit] = broker.audits()
    assert audit["action"] == "dlt.redrive" and audit["count"] == 2
    assert parse_spots(audit["details"]["letters"]) == {(0, 2), (0, 3)}
    assert audit["details"]["skipped_truncated"] == "1"


async def test_a_second_redrive_sends_nothing_unless_forced(broker: Broker) -> None:
    broker.park(_request())
    await _redrive(broker)

    again = await _redrive(broker)
    assert (again.redriven, again.skipped) == (0, {Skip.ALREADY_REDRIVEN: 1})
    forced = await _redrive(broker, again=True)
    assert forced.redriven == 1
    assert broker.sent.count(topics.BULK_VALIDATION_REQUESTS.name) == 2
    assert len(broker.audits()) == 3  # every redrive is on record, the empty one too


async def test_a_redrive_of_chosen_offsets_is_audited_with_just_those(broker: Broker) -> None:
    for _ in range(3):
        broker.park(_request())
    report = await _redrive(broker, offsets={(0, 1)})
    assert report.redriven == 1
    assert parse_spots(broker.audits()[0]["details"]["letters"]) == {(0, 1)}
    rest = await _redrive(broker)
    assert (rest.redriven, rest.skipped) == (2, {Skip.ALREADY_REDRIVEN: 1})


async def test_a_redrive_cut_midway_is_audited_and_frees_what_it_did_not_send(
    broker: Broker,
) -> None:
    for _ in range(3):
        broker.park(_request())
    broker.fail_after = 1
    with pytest.raises(ConnectionError):
        await _redrive(broker)
    first, cut = broker.audits()
    assert parse_spots(first["details"]["letters"]) == {(0, 0), (0, 1), (0, 2)}
    assert cut["action"] == "dlt.redrive.cut"
    assert parse_spots(cut["details"]["letters"]) == {(0, 1), (0, 2)}

    broker.fail_after = None
    rest = await _redrive(broker)
    assert (rest.redriven, rest.skipped) == (2, {Skip.ALREADY_REDRIVEN: 1})


async def test_a_redrive_cancelled_by_a_timeout_frees_what_it_did_not_send(
    broker: Broker,
) -> None:
    for _ in range(2):
        broker.park(_request())
    broker.fail_after, broker.hang = 1, True
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.5):
            await _redrive(broker)
    assert [a["action"] for a in broker.audits()] == ["dlt.redrive", "dlt.redrive.cut"]
    assert parse_spots(broker.audits()[1]["details"]["letters"]) == {(0, 1)}


async def test_a_forced_redrive_cut_midway_never_frees_what_was_sent_before(
    broker: Broker,
) -> None:
    for _ in range(2):
        broker.park(_request())
    await _redrive(broker)
    broker.fail_after = 2  # the two sends above; the forced one fails at once
    with pytest.raises(ConnectionError):
        await _redrive(broker, again=True)
    assert broker.audits()[-1]["details"].get("again") == "yes"  # nothing to free: no cut
    again = await _redrive(broker)
    assert (again.redriven, again.skipped) == (0, {Skip.ALREADY_REDRIVEN: 2})


async def test_an_overlong_operator_name_is_clipped_not_fatal(broker: Broker) -> None:
    broker.park(_request())
    report = await _redrive(broker, operator="x" * 10_000)
    assert report.redriven == 1
    assert len(broker.audits()[0]["operator"]) == 200


def test_letters_are_listed_as_ranges_and_split_when_long() -> None:
    assert spot_texts({(0, 1), (0, 2), (0, 3), (0, 7), (1, 4)}) == ["0:1-3,0:7,1:4"]
    many = {(0, offset) for offset in range(0, 200_000, 2)}
    texts = spot_texts(many)
    assert len(texts) > 1 and all(len(t) <= redrive_marks.MAX_LETTERS_CHARS for t in texts)
    assert set().union(*(parse_spots(t) for t in texts)) == many
    assert parse_spots("0:x,nonsense,0:5") == {(0, 5)}
