"""Schemathesis against the committed OpenAPI contract of the web's token API
(docs/openapi/web.json), sent over HTTP to the suite's web app, with the right token: no answer
is a server error, every status is one the contract documents, every answer matches its schema.
Bounded and derandomized like the registration API's run."""

from __future__ import annotations

from pathlib import Path

import httpx
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from tests.security.conftest import WEB_API_TOKEN

CONTRACT = Path(__file__).resolve().parents[2] / "docs" / "openapi" / "web.json"
MAX_EXAMPLES = 25  # per operation (two of them), positive and negative inputs

schema = schemathesis.openapi.from_path(CONTRACT)
schema.config.generation.update(modes=["positive", "negative"], allow_x00=True)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
async def test_the_web_api_never_fails_and_answers_as_documented(
    case: schemathesis.Case, site: httpx.AsyncClient
) -> None:
    headers = {"Authorization": f"Bearer {WEB_API_TOKEN}"}
    response = await site.request(
        case.method, case.formatted_path, params=case.query, headers=headers
    )
    case.validate_response(
        response,
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )
