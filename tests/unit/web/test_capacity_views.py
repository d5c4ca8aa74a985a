"""Operación's «Consultas al censo»: budget used, the backlog's ETA in words, a silent worker,
the captcha balance, from a capacity report and the census worker's lag."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from services.kafka_admin import census_capacity as cap
from services.web.views.capacity import approximately, capacity_view, eta_text
from services.web.views.captcha import balance_warning, usd
from tests.support.capacity import (
    capacity_data,
    captcha_account,
    host_state,
    open_circuit,
)

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
GROUP = "census-worker"


@dataclass(frozen=True)
class Lag:
    group: str
    topic: str
    lag: int


LAGS = [
    Lag(GROUP, "accounts.events", 2),
    Lag(GROUP, "census.requests", 1),
    Lag(GROUP, "census.requests.bulk", 297),
    Lag(f"{GROUP}-retry", "census.worker.retry-1", 4),
    Lag("web-projector", "census.requests.bulk", 9_999),  # another group's lag is not the worker's
]


def test_budget_used_is_the_turns_of_the_last_minute_over_those_the_interval_allows() -> None:
    report = capacity_data([host_state(turns_last_minute=9)], reported_at=NOW, interval_s=5)
    view = capacity_view(report, LAGS, GROUP, NOW)
    assert view.hosts[0].budget_percent == 75  # 9 of 60 / 5 = 12
    unlimited = capacity_view(capacity_data(reported_at=NOW, interval_s=0), LAGS, GROUP, NOW)
    assert unlimited.hosts[0].budget_percent is None


def test_each_lane_waits_its_groups_lag_on_its_topics() -> None:
    view = capacity_view(capacity_data(reported_at=NOW), LAGS, GROUP, NOW)
    assert [lane.waiting for lane in view.lanes] == [3, 297, 4]
    assert view.waiting == 304
    no_retries_yet = cap.lane_backlogs(GROUP, LAGS[:3])
    assert no_retries_yet[2].waiting is None


def test_the_eta_is_the_backlog_over_the_open_hosts_capacity_in_words() -> None:
    two_hosts = capacity_data([host_state("wsp"), host_state("consultacenso")], reported_at=NOW)
    assert cap.backlog_eta(two_hosts, 600, NOW) == 1_500  # 2 hosts, one lookup per 5 s each
    assert capacity_view(two_hosts, LAGS, GROUP, NOW).eta == (
        "304 consultas en espera: al ritmo permitido terminarían en unos 13 minutos."
    )
    one_open = capacity_data([host_state("wsp"), open_circuit()], reported_at=NOW)
    assert cap.backlog_eta(one_open, 600, NOW) == 3_000


def test_eta_words() -> None:
    assert approximately(20) == "menos de un minuto"
    assert approximately(60) == "un minuto"
    assert approximately(25 * 60) == "unos 25 minutos"
    assert approximately(5 * 3600) == "unas 5 horas"
    assert approximately(28 * 3600) == "unas 28 horas"
    assert approximately(2.5 * 86_400) == "más de 2 días"
    assert eta_text(0.0, 0) == "No hay consultas en espera."
    assert eta_text(5.0, 1).startswith("1 consulta en espera: ")
    assert eta_text(cap.NoEstimate.ALL_CIRCUITS_OPEN, 1_500).startswith(
        "1.500 consultas en espera. Sin estimación: todos los sitios"
    )


def test_no_eta_when_every_circuit_is_open_and_it_says_why() -> None:
    report = capacity_data([open_circuit("wsp"), open_circuit("consultacenso")], reported_at=NOW)
    view = capacity_view(report, LAGS, GROUP, NOW)
    assert cap.backlog_eta(report, 304, NOW) is cap.NoEstimate.ALL_CIRCUITS_OPEN
    assert "todos los sitios del censo están pausados" in view.eta
    assert view.hosts[0].circuit_open_since and view.hosts[0].last_raw_answer


def test_a_report_older_than_a_minute_says_the_workers_are_not_reporting() -> None:
    old = capacity_data(reported_at=NOW - timedelta(minutes=5))
    view = capacity_view(old, LAGS, GROUP, NOW)
    assert view.silence and "no informan su estado desde hace 5 min" in view.silence
    assert "Sin estimación: los trabajadores del censo no están informando." in view.eta
    fresh = capacity_view(capacity_data(reported_at=NOW - timedelta(seconds=10)), LAGS, GROUP, NOW)
    assert fresh.silence is None
    never = capacity_view(None, LAGS, GROUP, NOW)
    assert never.silence == "Los trabajadores del censo aún no han informado su estado."
    assert never.hosts == [] and never.captcha is None


def test_kafka_out_of_reach_leaves_the_report_but_no_lanes() -> None:
    view = capacity_view(capacity_data(reported_at=NOW), None, GROUP, NOW)
    assert view.lanes == [] and view.waiting is None
    assert view.eta == "Sin estimación: no fue posible consultar Kafka."
    assert view.hosts[0].host == "wsp"


def test_a_cooldown_shows_only_while_it_lasts() -> None:
    cooling = host_state(cooldown_until=NOW + timedelta(minutes=2))
    over = host_state("consultacenso", cooldown_until=NOW - timedelta(minutes=2))
    view = capacity_view(capacity_data([cooling, over], reported_at=NOW), LAGS, GROUP, NOW)
    assert view.hosts[0].cooldown_until == "04/12/2026 10:02"  # Bogotá time
    assert view.hosts[1].cooldown_until is None


def test_a_low_or_empty_captcha_balance_is_a_warning() -> None:
    assert balance_warning(captcha_account(balance=12.5, low=5)) is None
    low = balance_warning(captcha_account(balance=1.2, low=5))
    assert low and "es bajo (US$ 1,20; se avisa por debajo de US$ 5,00)" in low
    empty = balance_warning(captcha_account(balance=0, low=0))
    assert empty and "no tiene saldo" in empty
    assert balance_warning(captcha_account(balance=None)) is None  # not checked yet
    report = capacity_data(captcha=captcha_account(balance=1.2), reported_at=NOW)
    captcha = capacity_view(report, LAGS, GROUP, NOW).captcha
    assert captcha and captcha.spend == "US$ 2,99" and captcha.solves == 1000


def test_dollars_read_the_colombian_way() -> None:
    assert usd(1234.5) == "US$ 1.234,50"
    assert usd(0) == "US$ 0,00"
