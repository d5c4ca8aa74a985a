"""Solving the site's reCAPTCHA v2 through a 2captcha-compatible service (in.php / res.php)."""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

import httpx


class CaptchaSolver(Protocol):
    async def solve(self, sitekey: str, page_url: str) -> str:
        """A reCAPTCHA response token for `sitekey` on `page_url` (good once, for ~2 minutes)."""
        ...


class CaptchaError(Exception):
    """No token: the message tells an operator why."""


class CaptchaRejected(CaptchaError):
    """The service refused the job: an account or request problem to fix (key, balance)."""


class CaptchaUnsolvable(CaptchaError):
    """The service tried and could not solve this captcha; another try may work."""


class CaptchaTimeout(CaptchaError):
    """No token within the solve timeout."""


class CaptchaServiceError(CaptchaError):
    """The service is unreachable or answered something unexpected."""


_ERRORS: dict[str, tuple[type[CaptchaError], str]] = {
    "ERROR_WRONG_USER_KEY": (CaptchaRejected, "the API key is malformed (CENSUS_CAPTCHA_API_KEY)"),
    "ERROR_KEY_DOES_NOT_EXIST": (
        CaptchaRejected,
        "the API key does not exist (CENSUS_CAPTCHA_API_KEY)",
    ),
    "ERROR_ZERO_BALANCE": (CaptchaRejected, "the account has no balance left: top it up"),
    "ERROR_IP_NOT_ALLOWED": (CaptchaRejected, "this IP address is not allowed for the key"),
    "ERROR_IP_BANNED": (CaptchaRejected, "this IP address is banned after too many bad requests"),
    "IP_BANNED": (CaptchaRejected, "this IP address is banned after too many bad requests"),
    "ERROR_WRONG_GOOGLEKEY": (CaptchaRejected, "the reCAPTCHA sitekey was refused"),
    "ERROR_GOOGLEKEY": (CaptchaRejected, "the reCAPTCHA sitekey was refused"),
    "ERROR_PAGEURL": (CaptchaRejected, "the page URL was missing or refused"),
    "ERROR_CAPTCHA_UNSOLVABLE": (CaptchaUnsolvable, "its workers could not solve the captcha"),
    "ERROR_BAD_DUPLICATES": (CaptchaUnsolvable, "its workers could not agree on an answer"),
    "ERROR_NO_SLOT_AVAILABLE": (CaptchaServiceError, "no worker is free right now"),
    "ERROR_WRONG_CAPTCHA_ID": (CaptchaServiceError, "it lost track of the task id"),
}
_NOT_READY = "CAPCHA_NOT_READY"  # sic: the service's own spelling
_NO_SLOT = "ERROR_NO_SLOT_AVAILABLE"


def error_for(code: str, detail: str | None = None) -> CaptchaError:
    """The exception an `ERROR_…` answer stands for, with an operator-readable message."""
    kind, explanation = _ERRORS.get(code, (CaptchaServiceError, "it answered an unknown error"))
    suffix = f": {detail}" if detail else ""
    return kind(f"captcha service: {explanation} ({code}){suffix}")


class TwoCaptchaSolver:
    """Submits a reCAPTCHA v2 job, then polls for its token until `solve_timeout_s`."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        api_key: str,
        base_url: str = "https://2captcha.com",
        poll_interval_s: float = 5.0,
        solve_timeout_s: float = 180.0,
    ) -> None:
        self._http = http
        self._api_key = api_key
        self._base_url = base_url.rstrip("/")
        self._poll_interval_s = poll_interval_s
        self._solve_timeout_s = solve_timeout_s

    async def solve(self, sitekey: str, page_url: str) -> str:
        try:
            async with asyncio.timeout(self._solve_timeout_s):
                task_id = await self._submit(sitekey, page_url)
                return await self._poll(task_id)
        except TimeoutError as exc:
            message = f"captcha service: no token within {self._solve_timeout_s:g} s"
            raise CaptchaTimeout(message) from exc

    async def balance(self) -> float:
        """The account's balance (`res.php?action=getbalance`); an `ERROR_…` answer raises."""
        query = {"key": self._api_key, "action": "getbalance", "json": "1"}
        answer = await self._call("GET", "/res.php", params=query)
        if answer.get("status") != 1:
            raise error_for(str(answer.get("request")), answer.get("error_text"))
        try:
            return float(answer["request"])
        except (KeyError, TypeError, ValueError) as exc:
            message = f"captcha service answered a balance of {answer.get('request')!r}"
            raise CaptchaServiceError(message) from exc

    async def _submit(self, sitekey: str, page_url: str) -> str:
        form = {
            "key": self._api_key,
            "method": "userrecaptcha",
            "googlekey": sitekey,
            "pageurl": page_url,
            "json": "1",
        }
        while True:
            answer = await self._call("POST", "/in.php", data=form)
            if answer.get("status") == 1:
                return str(answer["request"])
            if answer.get("request") != _NO_SLOT:  # no slot is transient: wait and submit again
                raise error_for(str(answer.get("request")), answer.get("error_text"))
            await asyncio.sleep(self._poll_interval_s)

    async def _poll(self, task_id: str) -> str:
        query = {"key": self._api_key, "action": "get", "id": task_id, "json": "1"}
        while True:
            await asyncio.sleep(self._poll_interval_s)
            answer = await self._call("GET", "/res.php", params=query)
            if answer.get("status") == 1 and answer.get("request"):
                return str(answer["request"])
            if answer.get("request") != _NOT_READY:
                raise error_for(str(answer.get("request")), answer.get("error_text"))

    async def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = await self._http.request(method, self._base_url + path, **kwargs)
        except httpx.HTTPError as exc:
            message = f"captcha service unreachable at {self._base_url}: {type(exc).__name__}"
            raise CaptchaServiceError(message) from exc
        if response.status_code != 200:
            raise CaptchaServiceError(f"captcha service answered HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError as exc:
            message = f"captcha service answered non-JSON: {response.text[:100]!r}"
            raise CaptchaServiceError(message) from exc
        if not isinstance(answer, dict):
            raise CaptchaServiceError(f"captcha service answered {str(answer)[:100]!r}")
        return answer
