"""`censo ops status` as data (its --json) and its words: lanes, hosts, the ETA, the captchas."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import get_args

from services.census_worker.lookup.settings import SourceName
from services.kafka_admin.census_hosts import SOURCE_NAMES, known_hosts
from services.kafka_admin.groups import GroupLag
from services.operations.capacity_render import approximately, eta
from services.operations.census_status import status_of
from tests.support.capacity import capacity_data, captcha_account, host_state, open_circuit

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def lag(group: str, topic: str, waiting: int) -> GroupLag:
    return GroupLag(group, "Stable", topic, 0, 100, 100 + waiting)


LAGS = [
    lag("census-worker", "census.requests", 2),
    lag("census-worker", "census.requests.bulk", 598),
    lag("census-worker-retry", "census.worker.retry-2", 0),
]


def test_status_as_json_has_lanes_hosts_eta_and_captcha() -> None:
    report = capacity_data(
        [host_state("wsp", turns_last_minute=12), open_circuit("consultacenso")],
        captcha=captcha_account(balance=1.0),
        reported_at=NOW - timedelta(seconds=5),
    )
    status = json.loads(json.dumps(status_of(report, LAGS, "census-worker", NOW)))
    assert [(lane["lane"], lane["waiting"]) for lane in status["lanes"]] == [
        ("interactive", 2),
        ("bulk", 598),
        ("retries", 0),
    ]
    assert status["waiting"] == 600 and status["eta_s"] == 3_000  # one open host, 5 s a turn
    wsp, consultacenso = status["hosts"]
    assert wsp["budget_used"] == 1.0 and not wsp["circuit_open"]
    assert consultacenso["circuit_open"] and "<script>" in consultacenso["last_raw_answer"]
    assert status["captcha"]["low"] is True and status["stale"] is False


def test_without_a_report_there_is_no_eta_and_it_says_why() -> None:
    status = status_of(None, LAGS, "census-worker", NOW)
    assert status["stale"] and status["hosts"] == [] and status["eta_s"] is None
    assert eta(status) == "no ETA: no capacity report"


def test_eta_in_english_words() -> None:
    assert approximately(25 * 60) == "about 25 minutes"
    assert approximately(3 * 86_400) == "more than 3 days"
    assert approximately(10) == "less than a minute"


def test_the_hosts_an_operator_may_resume_are_the_reported_ones_and_the_site_variants() -> None:
    assert get_args(SourceName) == SOURCE_NAMES  # the worker's variants, named once more here
    assert known_hosts(None) == ("wsp", "consultacenso")
    assert known_hosts(capacity_data([host_state("sim")])) == ("sim", "wsp", "consultacenso")
