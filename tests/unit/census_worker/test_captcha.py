"""The 2captcha client against a scripted service (httpx.MockTransport, no network)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import httpx
import pytest

from services.census_worker.lookup.captcha.solver import (
    CaptchaError,
    CaptchaRejected,
    CaptchaServiceError,
    CaptchaTimeout,
    CaptchaUnsolvable,
    TwoCaptchaSolver,
)

SITEKEY = "6LcthjAgAAAAAFIQLxy52074zanHv47cIvmIHglH"
PAGE = "https://wsp.registraduria.gov.co/censo/consultar/"
Handler = Callable[[httpx.Request], httpx.Response]


def scripted(submit: list[dict], polls: list[dict]) -> tuple[Handler, list[httpx.Request]]:
    """A service answering in.php and res.php from two scripts (the last answer repeats)."""
    seen: list[httpx.Request] = []
    submits: Iterator[dict] = iter(submit)
    answers: Iterator[dict] = iter(polls)
    last: dict[str, dict] = {}

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        script, name = (submits, "in") if request.url.path == "/in.php" else (answers, "res")
        last[name] = next(script, last.get(name) or {})
        return httpx.Response(200, json=last[name])

    return handle, seen


def solver(handler: Handler, *, timeout_s: float = 2.0) -> TwoCaptchaSolver:
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return TwoCaptchaSolver(
        client,
        api_key="k3y",
        base_url="http://captcha.test/",
        poll_interval_s=0.001,
        solve_timeout_s=timeout_s,
    )


async def test_submits_the_job_then_polls_until_the_token_is_ready() -> None:
    handler, seen = scripted(
        [{"status": 1, "request": "task-7"}],
        [{"status": 0, "request": "CAPCHA_NOT_READY"}] * 3 + [{"status": 1, "request": "TOKEN"}],
    )

    assert await solver(handler).solve(SITEKEY, PAGE) == "TOKEN"

    submit, *polls = seen
    assert submit.method == "POST" and submit.url == "http://captcha.test/in.php"
    form = dict(httpx.QueryParams(submit.content.decode()))
    assert form == {
        "key": "k3y",
        "method": "userrecaptcha",
        "googlekey": SITEKEY,
        "pageurl": PAGE,
        "json": "1",
    }
    assert len(polls) == 4
    assert all(p.method == "GET" and p.url.path == "/res.php" for p in polls)
    assert dict(polls[0].url.params) == {"key": "k3y", "action": "get", "id": "task-7", "json": "1"}


async def test_no_free_slot_on_submit_is_retried() -> None:
    handler, _ = scripted(
        [{"status": 0, "request": "ERROR_NO_SLOT_AVAILABLE"}, {"status": 1, "request": "t"}],
        [{"status": 1, "request": "TOKEN"}],
    )

    assert await solver(handler).solve(SITEKEY, PAGE) == "TOKEN"


@pytest.mark.parametrize(
    ("code", "kind", "words"),
    [
        ("ERROR_WRONG_USER_KEY", CaptchaRejected, "API key"),
        ("ERROR_KEY_DOES_NOT_EXIST", CaptchaRejected, "API key"),
        ("ERROR_ZERO_BALANCE", CaptchaRejected, "balance"),
        ("ERROR_IP_NOT_ALLOWED", CaptchaRejected, "IP address"),
        ("ERROR_WRONG_GOOGLEKEY", CaptchaRejected, "sitekey"),
        ("ERROR_SOMETHING_NEW", CaptchaServiceError, "unknown"),
    ],
)
async def test_submit_errors_map_to_operator_readable_exceptions(
    code: str, kind: type[CaptchaError], words: str
) -> None:
    handler, _ = scripted([{"status": 0, "request": code}], [])

    with pytest.raises(kind) as raised:
        await solver(handler).solve(SITEKEY, PAGE)

    assert words in str(raised.value) and code in str(raised.value)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("ERROR_CAPTCHA_UNSOLVABLE", CaptchaUnsolvable),
        ("ERROR_BAD_DUPLICATES", CaptchaUnsolvable),
        ("ERROR_WRONG_CAPTCHA_ID", CaptchaServiceError),
        ("ERROR_KEY_DOES_NOT_EXIST", CaptchaRejected),
    ],
)
async def test_poll_errors_map_to_exceptions(code: str, kind: type[CaptchaError]) -> None:
    not_ready = {"status": 0, "request": "CAPCHA_NOT_READY"}
    handler, _ = scripted(
        [{"status": 1, "request": "t"}], [not_ready, {"status": 0, "request": code}]
    )

    with pytest.raises(kind, match=code):
        await solver(handler).solve(SITEKEY, PAGE)


async def test_error_text_from_the_service_is_kept_in_the_message() -> None:
    answer = {"status": 0, "request": "ERROR_ZERO_BALANCE", "error_text": "You have no funds"}
    handler, _ = scripted([answer], [])

    with pytest.raises(CaptchaRejected, match="You have no funds"):
        await solver(handler).solve(SITEKEY, PAGE)


async def test_a_token_never_ready_times_out() -> None:
    handler, _ = scripted(
        [{"status": 1, "request": "t"}], [{"status": 0, "request": "CAPCHA_NOT_READY"}]
    )

    with pytest.raises(CaptchaTimeout, match=r"0\.05 s"):
        await solver(handler, timeout_s=0.05).solve(SITEKEY, PAGE)


async def test_a_hanging_service_times_out() -> None:
    async def hang(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(10)
        raise AssertionError("unreachable")

    client = httpx.AsyncClient(transport=httpx.MockTransport(hang))
    hanging = TwoCaptchaSolver(
        client,
        api_key="k",
        base_url="http://captcha.test",
        poll_interval_s=0.001,
        solve_timeout_s=0.05,
    )

    with pytest.raises(CaptchaTimeout):
        await hanging.solve(SITEKEY, PAGE)


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(502, text="Bad gateway"),
        httpx.Response(200, text="OK|123"),
        httpx.Response(200, json=[1, 2]),
    ],
)
async def test_unexpected_answers_are_service_errors(response: httpx.Response) -> None:
    with pytest.raises(CaptchaServiceError):
        await solver(lambda request: response).solve(SITEKEY, PAGE)


async def test_unreachable_service_is_a_service_error_naming_the_url() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with pytest.raises(CaptchaServiceError, match=r"captcha\.test"):
        await solver(refuse).solve(SITEKEY, PAGE)


async def test_the_api_key_never_appears_in_error_messages() -> None:
    handler, _ = scripted([{"status": 0, "request": "ERROR_WRONG_USER_KEY"}], [])

    with pytest.raises(CaptchaRejected) as raised:
        await solver(handler).solve(SITEKEY, PAGE)

    assert "k3y" not in str(raised.value)
