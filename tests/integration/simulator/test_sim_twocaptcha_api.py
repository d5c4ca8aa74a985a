"""The 2captcha-compatible API over HTTP: JSON and plain-text answers, polling, error codes."""

from __future__ import annotations

import asyncio

import pytest

from infra.registraduria_sim.form import SITEKEY

TASK = {"key": "test-key", "method": "userrecaptcha", "googlekey": SITEKEY, "pageurl": "http://x/"}


async def test_json_task_is_not_ready_then_gives_a_long_token(simulator):
    async with simulator(captcha_solve_ms=200) as client:
        created = (await client.post("/in.php", data={**TASK, "json": "1"})).json()
        query = {"key": "test-key", "action": "get", "id": created["request"], "json": "1"}
        early = (await client.get("/res.php", params=query)).json()
        await asyncio.sleep(0.25)
        ready = (await client.get("/res.php", params=query)).json()

    assert created["status"] == 1 and created["request"].isdigit()
    assert early == {"status": 0, "request": "CAPCHA_NOT_READY"}
    assert ready["status"] == 1 and len(ready["request"]) > 300


async def test_plain_text_answers_without_json(simulator):
    async with simulator(captcha_solve_ms=200) as client:
        created = (await client.post("/in.php", data=TASK)).text
        query = {"key": "test-key", "action": "get", "id": created.removeprefix("OK|")}
        early = (await client.get("/res.php", params=query)).text
        await asyncio.sleep(0.25)
        ready = (await client.get("/res.php", params=query)).text

    assert created.startswith("OK|")
    assert early == "CAPCHA_NOT_READY"
    assert ready.startswith("OK|03A")


async def test_task_fields_may_come_in_the_query_string(client):
    response = await client.post("/in.php", params={**TASK, "json": "1"})

    assert response.status_code == 200 and response.json()["status"] == 1


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"key": ""}, "ERROR_WRONG_USER_KEY"),
        ({"key": "unknown-key"}, "ERROR_KEY_DOES_NOT_EXIST"),
        ({"key": "zero-balance"}, "ERROR_ZERO_BALANCE"),
        ({"googlekey": ""}, "ERROR_GOOGLEKEY"),
        ({"pageurl": ""}, "ERROR_PAGEURL"),
        ({"method": "post"}, "ERROR_BAD_PARAMETERS"),
    ],
)
async def test_in_php_errors(client, overrides, code):
    json_answer = (await client.post("/in.php", data={**TASK, **overrides, "json": "1"})).json()
    plain_answer = (await client.post("/in.php", data={**TASK, **overrides})).text

    assert json_answer == {"status": 0, "request": code}
    assert plain_answer == code


async def test_unknown_task_id_is_wrong_captcha_id(client):
    query = {"key": "test-key", "action": "get", "id": "42", "json": "1"}

    assert (await client.get("/res.php", params=query)).json() == {
        "status": 0,
        "request": "ERROR_WRONG_CAPTCHA_ID",
    }


async def test_balance_and_reports(client):
    balance = await client.get("/res.php", params={"key": "test-key", "action": "getbalance"})
    report = await client.get(
        "/res.php", params={"key": "test-key", "action": "reportbad", "id": "1", "json": "1"}
    )

    assert float(balance.text) > 0
    assert report.json() == {"status": 1, "request": "OK_REPORT_RECORDED"}


async def test_the_balance_is_configurable_and_zero_for_the_empty_account(simulator):
    async with simulator(captcha_balance=1.75) as client:
        query = {"action": "getbalance", "json": "1"}
        funded = (await client.get("/res.php", params={**query, "key": "test-key"})).json()
        empty = (await client.get("/res.php", params={**query, "key": "zero-balance"})).json()

    assert funded == {"status": 1, "request": "1.75"}
    assert empty == {"status": 1, "request": "0"}
