"""The fake captcha solver behind the 2captcha API: tasks, their tokens, and one-time redemption."""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass

from .settings import SimulatorSettings
from .store import Clock, ExpiringStore

ZERO_BALANCE_KEY = "zero-balance"  # API key whose account has no money left
UNKNOWN_KEY = "unknown-key"  # API key that does not exist


class CaptchaApiError(Exception):
    """A 2captcha error answer; `code` is the ERROR_... text the API sends."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class _Task:
    key: str
    token: str
    ready_at: float
    unsolvable: bool


@dataclass(frozen=True)
class _Token:
    sitekey: str
    ready_at: float


def check_key(key: str) -> None:
    """Raise the 2captcha error for an empty or unknown API key."""
    if not key:
        raise CaptchaApiError("ERROR_WRONG_USER_KEY")
    if key == UNKNOWN_KEY:
        raise CaptchaApiError("ERROR_KEY_DOES_NOT_EXIST")


class CaptchaSolver:
    """Solves every task after `captcha_solve_ms`; a token is good once, for its own sitekey."""

    def __init__(
        self, settings: SimulatorSettings, rng: random.Random, clock: Clock = time.monotonic
    ) -> None:
        self._solve_s = settings.captcha_solve_ms / 1000
        self._error_rate = settings.captcha_error_rate
        self._balance = settings.captcha_balance
        self._rng = rng
        self._clock = clock
        lifetime = self._solve_s + settings.captcha_token_ttl_s
        self._tasks: ExpiringStore[_Task] = ExpiringStore(lifetime, settings.max_entries, clock)
        self._tokens: ExpiringStore[_Token] = ExpiringStore(lifetime, settings.max_entries, clock)

    def submit(self, key: str, method: str, googlekey: str, pageurl: str) -> str:
        """Accept a task (in.php) and return its id."""
        check_key(key)
        if key == ZERO_BALANCE_KEY:
            raise CaptchaApiError("ERROR_ZERO_BALANCE")
        if method != "userrecaptcha":
            raise CaptchaApiError("ERROR_BAD_PARAMETERS")
        if not googlekey:
            raise CaptchaApiError("ERROR_GOOGLEKEY")
        if not pageurl:
            raise CaptchaApiError("ERROR_PAGEURL")
        task_id = str(10**10 + secrets.randbelow(9 * 10**10))
        token = "03A" + secrets.token_urlsafe(384)  # long, like a real g-recaptcha-response
        ready_at = self._clock() + self._solve_s
        unsolvable = self._error_rate > 0 and self._rng.random() < self._error_rate
        self._tasks.put(task_id, _Task(key, token, ready_at, unsolvable))
        if not unsolvable:
            self._tokens.put(token, _Token(googlekey, ready_at))
        return task_id

    def result(self, key: str, task_id: str) -> str | None:
        """The token of a task (res.php), or None while it is not ready."""
        check_key(key)
        task = self._tasks.get(task_id)
        if task is None or task.key != key:
            raise CaptchaApiError("ERROR_WRONG_CAPTCHA_ID")
        if self._clock() < task.ready_at:
            return None
        if task.unsolvable:
            raise CaptchaApiError("ERROR_CAPTCHA_UNSOLVABLE")
        return task.token

    def balance(self, key: str) -> str:
        check_key(key)
        return "0" if key == ZERO_BALANCE_KEY else f"{self._balance:g}"

    def redeem(self, token: str, sitekey: str) -> bool:
        """Spend `token`: True only if issued here for `sitekey`, solved, unexpired and unused."""
        issued = self._tokens.pop(token) if token else None
        return issued is not None and issued.sitekey == sitekey and self._clock() >= issued.ready_at
