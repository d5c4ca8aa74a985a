"""Schemathesis against the committed OpenAPI contract of the web's token API
(docs/openapi/web.json), sent over HTTP to a web app of its own on the suite's web database, with
the right token: no answer is a server error, every status is one the contract documents, every
answer matches its schema. Bounded and derandomized like the registration API's run; synchronous
like it too (the fuzzer calls the app, served in a thread with its own event loop, and blocks)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from services.web.app import create_app
from tests.integration.web.conftest import web_settings
from tests.security.conftest import WEB_API_TOKEN
from tests.support.serving import serving_in_thread

CONTRACT = Path(__file__).resolve().parents[2] / "docs" / "openapi" / "web.json"
MAX_EXAMPLES = 25  # per operation (two of them), positive and negative inputs

schema = schemathesis.openapi.from_path(CONTRACT)
schema.config.generation.update(modes=["positive", "negative"], allow_x00=True)


@pytest.fixture(scope="module")
def served_web(web_db: str) -> Iterator[str]:
    """The web app behind uvicorn in a thread of its own; its token API never calls the
    registration API, so none is wired in."""
    app = create_app(web_settings(web_db, api_token=WEB_API_TOKEN))
    with serving_in_thread(
        app, startup_timeout_s=30, log_config=None, lifespan="on", timeout_graceful_shutdown=1
    ) as url:
        yield url


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
def test_the_web_api_never_fails_and_answers_as_documented(
    case: schemathesis.Case, served_web: str
) -> None:
    case.call_and_validate(
        base_url=served_web,
        headers={"Authorization": f"Bearer {WEB_API_TOKEN}"},
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
        timeout=10,
    )
