"""Capacity reports as a census worker publishes them on census.status, for tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from schemas.events import (
    CaptchaAccountState,
    CensusCapacityReported,
    CensusCapacityReportedData,
    CensusHostState,
)

# What a page that stopped parsing might answer: markup that must reach the operator as text.
RAW_ANSWER = '<html><body><script>alert("x")</script><p>Servicio en mantenimiento</p></body></html>'


def host_state(host: str = "wsp", **changes: Any) -> CensusHostState:
    values: dict[str, Any] = {
        "host": host,
        "next_turn_at": datetime.now(UTC),
        "held": False,
        "turns_last_minute": 6,
        "turns_last_hour": 300,
    }
    return CensusHostState(**(values | changes))


def open_circuit(host: str = "consultacenso", raw: str = RAW_ANSWER) -> CensusHostState:
    return host_state(
        host,
        turns_last_minute=0,
        circuit_open_since=datetime.now(UTC) - timedelta(minutes=3),
        circuit_reason="5 respuestas sin clasificar seguidas",
        last_raw_answer=raw,
        unclassified_in_a_row=5,
    )


def captcha_account(balance: float | None = 12.5, low: float = 5.0) -> CaptchaAccountState:
    return CaptchaAccountState(
        solves=1000,
        expired=3,
        price_per_1000=2.99,
        spend_usd=2.99,
        balance_usd=balance,
        balance_checked_at=datetime.now(UTC) if balance is not None else None,
        low_balance_usd=low,
    )


def capacity_data(
    hosts: list[CensusHostState] | None = None,
    captcha: CaptchaAccountState | None = None,
    reported_at: datetime | None = None,
    interval_s: float = 5.0,
) -> CensusCapacityReportedData:
    return CensusCapacityReportedData(
        reported_at=reported_at or datetime.now(UTC),
        interval_s=interval_s,
        hosts=hosts if hosts is not None else [host_state()],
        captcha=captcha,
    )


def capacity_report(**kwargs: Any) -> CensusCapacityReported:
    return CensusCapacityReported(producer="census-worker", data=capacity_data(**kwargs))
