"""The 2captcha-compatible HTTP API (`POST /in.php`, `GET /res.php`), JSON or plain-text answers."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import MediaType

from .captcha import CaptchaApiError, CaptchaSolver, check_key

REPORT_RECORDED = "OK_REPORT_RECORDED"


async def _params(request: Request[Any, Any, Any]) -> dict[str, str]:
    """Query and form fields together, as 2captcha reads them (form wins)."""
    params = dict(request.query_params.items())
    form = await request.form()
    params.update({name: value for name, value in form.items() if isinstance(value, str)})
    return params


def _answer(
    params: dict[str, str], status: int, value: str, plain: str | None = None
) -> Response[Any]:
    if params.get("json") == "1":
        return Response({"status": status, "request": value}, media_type=MediaType.JSON)
    if plain is None:
        plain = f"OK|{value}" if status == 1 else value
    return Response(plain, media_type=MediaType.TEXT)


@post("/in.php", status_code=200, operation_id="twocaptcha_submit")
async def submit_task(
    request: Request[Any, Any, Any], solver: NamedDependency[CaptchaSolver]
) -> Response[Any]:
    params = await _params(request)
    try:
        task_id = solver.submit(
            params.get("key", ""),
            params.get("method", ""),
            params.get("googlekey", ""),
            params.get("pageurl", ""),
        )
    except CaptchaApiError as error:
        return _answer(params, 0, error.code)
    return _answer(params, 1, task_id)


@get("/res.php", operation_id="twocaptcha_result")
async def task_result(
    request: Request[Any, Any, Any], solver: NamedDependency[CaptchaSolver]
) -> Response[Any]:
    params = await _params(request)
    key, action = params.get("key", ""), params.get("action", "")
    try:
        if action == "get":
            token = solver.result(key, params.get("id", ""))
            if token is None:
                return _answer(params, 0, "CAPCHA_NOT_READY")
            return _answer(params, 1, token)
        if action == "getbalance":
            balance = solver.balance(key)
            return _answer(params, 1, balance, plain=balance)
        if action in ("reportbad", "reportgood"):
            check_key(key)
            return _answer(params, 1, REPORT_RECORDED, plain=REPORT_RECORDED)
    except CaptchaApiError as error:
        return _answer(params, 0, error.code)
    return _answer(params, 0, "ERROR_BAD_PARAMETERS")
