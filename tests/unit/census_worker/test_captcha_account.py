"""The captcha account: refused at start stops the worker; the balance is kept and a low one is
logged once; every solve is counted by result and priced."""

from __future__ import annotations

import contextlib

import pytest
import structlog

from services.census_worker.lookup.captcha.account import (
    AccountRules,
    BalanceWatch,
    CaptchaAccountRefused,
)
from services.census_worker.lookup.captcha.solver import (
    CaptchaServiceError,
    CaptchaUnsolvable,
    error_for,
)
from services.census_worker.lookup.captcha.spend import CaptchaSpend, CountedSolver
from services.census_worker.lookup.settings import LookupSettings


class FakeAccount:
    def __init__(self, *answers: float | Exception) -> None:
        self.answers, self.asked = list(answers), 0

    async def balance(self) -> float:
        self.asked += 1
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def watch(
    account: FakeAccount, *, live: bool = False, has_key: bool = True
) -> tuple[BalanceWatch, CaptchaSpend]:
    spend = CaptchaSpend(price_per_1000=2.99)
    rules = AccountRules(live=live, has_key=has_key, low_balance=5.0, interval_s=600.0)
    return BalanceWatch(account, spend, rules), spend


async def test_live_mode_without_a_key_is_refused_without_asking() -> None:
    account = FakeAccount(10.0)
    balance_watch, _ = watch(account, live=True, has_key=False)

    with pytest.raises(CaptchaAccountRefused, match="CENSUS_CAPTCHA_API_KEY is not set"):
        await balance_watch.check_at_start()
    assert account.asked == 0


@pytest.mark.parametrize(
    "code", ["ERROR_WRONG_USER_KEY", "ERROR_KEY_DOES_NOT_EXIST", "ERROR_ZERO_BALANCE"]
)
async def test_a_key_the_service_refuses_stops_the_start(code: str) -> None:
    balance_watch, _ = watch(FakeAccount(error_for(code)))

    with pytest.raises(CaptchaAccountRefused, match=code):
        await balance_watch.check_at_start()


async def test_an_empty_account_stops_the_start() -> None:
    balance_watch, _ = watch(FakeAccount(0.0))

    with pytest.raises(CaptchaAccountRefused, match="no balance left"):
        await balance_watch.check_at_start()


async def test_a_service_out_of_reach_at_start_only_warns() -> None:
    balance_watch, spend = watch(FakeAccount(CaptchaServiceError("unreachable")))

    with structlog.testing.capture_logs() as logs:
        await balance_watch.check_at_start()

    assert spend.balance is None
    assert [entry["event"] for entry in logs] == ["captcha_balance_unavailable"]


async def test_a_low_balance_is_kept_and_logged_once_until_topped_up() -> None:
    balance_watch, spend = watch(FakeAccount(9.0, 4.0, 3.0, 20.0, 2.0))

    with structlog.testing.capture_logs() as logs:
        await balance_watch.check_at_start()
        for _ in range(4):
            await balance_watch.check()

    assert spend.balance == 2.0
    assert [entry["balance"] for entry in logs if entry["event"] == "captcha_balance_low"] == [
        4.0,
        2.0,
    ]


class ScriptedSolver:
    def __init__(self, *outcomes: str | Exception) -> None:
        self.outcomes = list(outcomes)

    async def solve(self, sitekey: str, page_url: str) -> str:
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


async def test_every_solve_is_counted_by_result_and_only_solved_ones_are_priced() -> None:
    spend = CaptchaSpend(price_per_1000=2.99)
    solver = CountedSolver(
        ScriptedSolver("a", CaptchaUnsolvable("no"), "b", error_for("ERROR_ZERO_BALANCE")), spend
    )

    for _ in range(4):
        with contextlib.suppress(Exception):  # every outcome is what is counted here
            await solver.solve("key", "http://page")

    assert dict(spend.solves) == {"solved": 2, "unsolvable": 1, "rejected": 1}
    assert spend.estimated == pytest.approx(2 * 2.99 / 1000)


@pytest.mark.parametrize(
    ("env", "live"),
    [
        ({}, True),
        ({"CENSUS_WSP_URL": "http://127.0.0.1:8700/censo/consultar/"}, False),
        (
            {
                "CENSUS_WSP_URL": "http://127.0.0.1:8700/censo/consultar/",
                "CENSUS_SOURCES": "wsp,consultacenso",
            },
            True,
        ),
    ],
)
def test_live_mode_is_a_page_of_the_registradurias_own_site(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], live: bool
) -> None:
    for name in ("CENSUS_WSP_URL", "CENSUS_CONSULTACENSO_URL", "CENSUS_SOURCES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    assert LookupSettings(_env_file=None).live is live  # type: ignore[call-arg]
