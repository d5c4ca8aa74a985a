"""The fake 2captcha solver: task answers, every ERROR_ code, and one-time token redemption."""

from __future__ import annotations

import random

import pytest

from infra.registraduria_sim.captcha import CaptchaApiError, CaptchaSolver
from infra.registraduria_sim.form import SITEKEY
from infra.registraduria_sim.settings import SimulatorSettings

PAGE_URL = "http://127.0.0.1/censo/consultar/"


class FakeClock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def make_solver(clock: FakeClock, **overrides: object) -> CaptchaSolver:
    settings = SimulatorSettings(captcha_solve_ms=20_000, **overrides)
    return CaptchaSolver(settings, random.Random(1), clock)


def submit(solver: CaptchaSolver, key: str = "test-key") -> str:
    return solver.submit(key, "userrecaptcha", SITEKEY, PAGE_URL)


def error_code(action) -> str:
    with pytest.raises(CaptchaApiError) as raised:
        action()
    return raised.value.code


def test_task_is_not_ready_until_the_solve_time_has_passed():
    clock = FakeClock()
    solver = make_solver(clock)
    task_id = submit(solver)

    clock.now += 19.9
    assert solver.result("test-key", task_id) is None
    clock.now += 0.2
    token = solver.result("test-key", task_id)
    assert token is not None and len(token) > 300


@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("", "ERROR_WRONG_USER_KEY"),
        ("unknown-key", "ERROR_KEY_DOES_NOT_EXIST"),
        ("zero-balance", "ERROR_ZERO_BALANCE"),
    ],
)
def test_special_keys_are_refused_on_submit(key, code):
    assert error_code(lambda: submit(make_solver(FakeClock()), key)) == code


@pytest.mark.parametrize(
    ("method", "googlekey", "pageurl", "code"),
    [
        ("base64", SITEKEY, PAGE_URL, "ERROR_BAD_PARAMETERS"),
        ("userrecaptcha", "", PAGE_URL, "ERROR_GOOGLEKEY"),
        ("userrecaptcha", SITEKEY, "", "ERROR_PAGEURL"),
    ],
)
def test_incomplete_tasks_are_refused(method, googlekey, pageurl, code):
    solver = make_solver(FakeClock())

    assert error_code(lambda: solver.submit("k", method, googlekey, pageurl)) == code


def test_unknown_or_foreign_task_id_is_a_wrong_captcha_id():
    solver = make_solver(FakeClock())
    task_id = submit(solver, key="owner")

    assert error_code(lambda: solver.result("owner", "123")) == "ERROR_WRONG_CAPTCHA_ID"
    assert error_code(lambda: solver.result("someone-else", task_id)) == "ERROR_WRONG_CAPTCHA_ID"


def test_unsolvable_task_errors_once_its_solve_time_has_passed():
    clock = FakeClock()
    solver = make_solver(clock, captcha_error_rate=1.0)
    task_id = submit(solver)

    assert solver.result("test-key", task_id) is None
    clock.now += 21
    assert error_code(lambda: solver.result("test-key", task_id)) == "ERROR_CAPTCHA_UNSOLVABLE"


def solved_token(solver: CaptchaSolver, clock: FakeClock) -> str:
    task_id = submit(solver)
    clock.now += 20
    token = solver.result("test-key", task_id)
    assert token is not None
    return token


def test_token_serves_one_submission():
    clock = FakeClock()
    solver = make_solver(clock)
    token = solved_token(solver, clock)

    assert solver.redeem(token, SITEKEY)
    assert not solver.redeem(token, SITEKEY)


def test_token_expires_after_its_ttl():
    clock = FakeClock()
    solver = make_solver(clock, captcha_token_ttl_s=120)
    token = solved_token(solver, clock)

    clock.now += 121
    assert not solver.redeem(token, SITEKEY)


def test_token_is_only_good_for_the_sitekey_it_was_solved_for():
    clock = FakeClock()
    solver = make_solver(clock)
    token = solved_token(solver, clock)

    assert not solver.redeem(token, "6LeLRw0tAAAAAOfUZZ34vi2KKHjukhLhQ5lfzuLM")


def test_made_up_token_is_refused():
    assert not make_solver(FakeClock()).redeem("03Anot-a-token", SITEKEY)
    assert not make_solver(FakeClock()).redeem("", SITEKEY)


def test_balance_is_zero_for_the_zero_balance_key():
    solver = make_solver(FakeClock())

    assert solver.balance("zero-balance") == "0"
    assert float(solver.balance("test-key")) > 0
