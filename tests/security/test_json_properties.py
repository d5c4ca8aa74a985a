"""Every JSON field of the registration API (read from its committed OpenAPI contract, so a field
added tomorrow is in) gets generated values: other scripts' digits, numbers of 5,000 digits
written as JSON numbers (which no JSON library here would write), floats, wrong types, missing
and unknown fields. Acting as an ADMIN of its own (its password tried wrong here must not
slow anyone else's login) with the right token: never a server error, and every
refusal says why in `detail`. (The web's own /api is fuzzed from its contract in
test_web_api_fuzz.py.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from litestar.testing import AsyncTestClient

from tests.integration.web.support import register, register_admin
from tests.security.hostile_text import FIVE_THOUSAND_DIGITS, SUPERSCRIPT_TWO, field_values

CONTRACT = json.loads(
    (Path(__file__).resolve().parents[2] / "docs/openapi/registration.json").read_text()
)


def _operations() -> list[tuple[str, str, list[str]]]:
    """(method, path, body fields) of every operation of the contract that takes a JSON body."""
    found = []
    for path, methods in CONTRACT["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                schema = body["schema"]
                if "$ref" in schema:
                    schema = CONTRACT["components"]["schemas"][schema["$ref"].split("/")[-1]]
                found.append((method.upper(), path, sorted(schema.get("properties", {}))))
    return found


OPERATIONS = _operations()


@pytest.fixture(scope="module")
async def actor(registration: AsyncTestClient) -> str:
    return str((await register_admin(registration))["id"])


@pytest.fixture(scope="module")
async def bystander(registration: AsyncTestClient) -> str:
    """Whose account the state route is fuzzed on: the actor disabling itself would turn every
    later example into a 403."""
    return str((await register(registration))["id"])


# JSON text of one value: numbers as raw text, so 5,000 digits go on the wire as a number.
_json_values = st.one_of(
    field_values().map(json.dumps),
    st.sampled_from([FIVE_THOUSAND_DIGITS, "-" + FIVE_THOUSAND_DIGITS, "1e400", "10000.5"]),
    st.integers().map(str),
    st.sampled_from(["true", "false", "null", "[]", "{}", '["a"]', '{"$ne": ""}']),
)


def bodies(fields: list[str]) -> st.SearchStrategy[str]:
    pairs = st.dictionaries(st.sampled_from([*fields, "extra"]), _json_values, max_size=8)
    return pairs.map(lambda d: "{" + ",".join(f"{json.dumps(k)}:{v}" for k, v in d.items()) + "}")


@pytest.mark.parametrize(("method", "path", "fields"), OPERATIONS, ids=lambda v: str(v))
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_no_value_in_any_json_field_is_a_server_error(
    registration: AsyncTestClient,
    actor: str,
    bystander: str,
    method: str,
    path: str,
    fields: list[str],
    data: st.DataObject,
) -> None:
    body = data.draw(bodies(fields), label="body")
    target = bystander if path.endswith("/state") else actor
    await _send_and_check(registration, actor, method, path, body, target)


@example(body='{"referral_goal": ' + FIVE_THOUSAND_DIGITS + "}")
@example(body=json.dumps({"telefono": "3" + SUPERSCRIPT_TWO * 9}))
@example(body=json.dumps({"telefono": "3٠٠١٢٣٤٥٦٧"}))
@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(body=bodies(["nombre", "telefono", "referral_goal"]))
async def test_a_profile_update_refuses_any_odd_field_with_a_reason(
    registration: AsyncTestClient, actor: str, body: str
) -> None:
    answer = await _send_and_check(registration, actor, "PATCH", "/api/users/{user_id}", body)
    if answer.get("telefono") is not None:
        assert answer["telefono"].isascii(), "a phone in other digits was stored"


async def _send_and_check(
    registration: AsyncTestClient,
    actor: str,
    method: str,
    path: str,
    body: str,
    target: str | None = None,
) -> dict[str, Any]:
    url = path.replace("{user_id}", target or actor)
    headers = {"content-type": "application/json", "X-Actor-Id": actor}
    response = await registration.request(method, url, content=body.encode(), headers=headers)
    assert response.status_code < 500, f"{method} {path}: {response.text[:300]}"
    answer: dict[str, Any] = response.json() if response.content else {}
    if response.status_code >= 400:
        assert answer.get("detail"), response.text[:300]
    return answer
