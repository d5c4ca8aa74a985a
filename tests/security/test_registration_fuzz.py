"""Schemathesis against the committed OpenAPI contract of the registration API: inputs generated
from (and against) the schema, sent over HTTP to the real app on the real database, acting as an
ADMIN (the caller who reaches the most code). No answer may be a server error, every status
must be one the contract documents, and every answer must match its schema. Bounded so the
whole run takes seconds."""

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

from services.common.settings import KafkaSettings
from services.registration.app import create_app
from services.registration.settings import RegistrationSettings
from tests.security.conftest import People
from tests.support.serving import serving_in_thread

CONTRACT = Path(__file__).resolve().parents[2] / "docs" / "openapi" / "registration.json"
TOKEN = "fuzz-service-token"
MAX_EXAMPLES = 15  # per operation (8 of them), positive and negative inputs

schema = schemathesis.openapi.from_path(CONTRACT)
schema.config.generation.update(modes=["positive", "negative"], allow_x00=True)


@pytest.fixture(scope="module")
def served_registration(registration_db: str) -> Iterator[str]:
    """The registration API behind uvicorn in a thread of its own (the fuzzer calls it
    synchronously), on the suite's registration database."""
    app = create_app(
        RegistrationSettings(
            database_url=registration_db,
            kafka=KafkaSettings(bootstrap_servers="127.0.0.1:9", startup_timeout_s=1),
            service_token=TOKEN,
            argon2_time_cost=1,
            argon2_memory_cost_kib=1024,
            argon2_parallelism=1,
            validation_targets_per_window=1_000_000,
            db_pool_size=2,
        )
    )
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
def test_the_registration_api_never_fails_and_answers_as_documented(
    case: schemathesis.Case, served_registration: str, people: People
) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}", "X-Actor-Id": people.members["ADMIN"]["id"]}
    case.call_and_validate(
        base_url=served_registration,
        headers=headers,
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
        timeout=10,
    )
