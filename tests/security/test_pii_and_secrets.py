"""Personal data and secrets: no full cédula in any log line, the raw census answer only for
ADMINs, no secret committed, and every secret read from the environment with no default (the
services refuse to work without them)."""

from __future__ import annotations

import io
import logging
import re
import subprocess
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import structlog
from litestar.exceptions import ImproperlyConfiguredException
from litestar.testing import AsyncTestClient
from pydantic import SecretStr
from pydantic_settings import BaseSettings
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from infra.registraduria_sim.settings import SimulatorSettings
from schemas.census import CensusStatus
from schemas.events import EVENT_TYPES, ValidationFailed, ValidationFailedData
from schemas.sealing import open_event
from services.census_worker.domain.model import LookupResult
from services.census_worker.domain.requests import LookupRequest
from services.census_worker.domain.retries import RetryPolicy
from services.census_worker.lookup.guard import guarded_lookup
from services.census_worker.lookup.settings import LookupSettings
from services.census_worker.service_layer.validation import ValidationService
from services.census_worker.settings import WorkerSettings
from services.common.logging import configure_logging, mask_cedula
from services.common.settings import KafkaSettings, LoggingSettings
from services.registration.app import create_app as create_registration_app
from services.registration.settings import RegistrationSettings
from services.web.app import create_app as create_web_app
from services.web.projection.projector import Projector
from services.web.settings import WebSettings
from tests.integration.web.builders import project
from tests.integration.web.conftest import web_settings
from tests.integration.web.support import register
from tests.security.conftest import Cast, play
from tests.support.accounts import PASSWORD, new_cedula
from tests.support.fakes import MemoryPublisher, no_fresh_answers

REPO = Path(__file__).resolve().parents[2]
RAW = "<html>RESPUESTA-CRUDA-DEL-CENSO</html>"

# --- cédulas in the logs


class OnePage:
    """A browser manager whose pages are never used by the scripted consult below."""

    @asynccontextmanager
    async def page(self) -> AsyncIterator[None]:
        yield None


class GuardedSource:
    """The worker's guard around a consult that answers as the real site would (the raw HTML
    holds the cédula) or crashes like a bug in a parser."""

    name = "fake"

    def __init__(self, crash: bool) -> None:
        self.crash = crash

    async def lookup(self, cedula: str, lane: object = None) -> LookupResult:
        """`lane`: the use case's census takes one (see `budgeted_census.Census`)."""
        return await guarded_lookup("fake", OnePage(), cedula, self._consult)  # type: ignore[arg-type]

    async def _consult(self, _: Any, cedula: str) -> LookupResult:
        if self.crash:
            raise ValueError("a row the parser did not expect")
        raw = f"<td>{cedula}</td>"
        return LookupResult.failure(CensusStatus.TIMEOUT, "fake", "the site was slow", raw)


async def registration_event(engine: AsyncEngine, user_id: str) -> Any:
    query = "SELECT value FROM outbox WHERE key = :key AND event_type = 'UserRegistered'"
    async with engine.connect() as conn:
        value = await conn.scalar(text(query), {"key": user_id.encode()})
        keys = await conn.execute(text("SELECT user_id, data_key FROM person_keys"))
        found = {row.user_id: bytes(row.data_key) for row in keys}
    return open_event(bytes(value), EVENT_TYPES, found.get)[0]  # sealed with the person's key


@pytest.fixture(params=[False, True], ids=["console", "json"])
def service_logs(request: pytest.FixtureRequest) -> Iterator[io.StringIO]:
    """What the services write to stderr, logging configured as each configures it at start-up
    (the handler's stream swapped for a buffer); the previous logging is put back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    configure_logging(LoggingSettings(json_output=request.param))
    buffer = io.StringIO()
    root.handlers[0].setStream(buffer)  # type: ignore[attr-defined]
    yield buffer
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.reset_defaults()


async def test_no_log_line_holds_a_full_cedula(
    registration: AsyncTestClient, registration_engine: AsyncEngine, service_logs: io.StringIO
) -> None:
    user, stranger = await register(registration), new_cedula()
    for cedula, password in [(user["cedula"], "Clave-Equivocada-1"), (user["cedula"], PASSWORD)]:
        await registration.post(
            "/api/sessions/verify", json={"cedula": cedula, "password": password}
        )
    for _ in range(6):  # failed logins of an unknown cédula, up to its lock-out
        await registration.post("/api/sessions/verify", json={"cedula": stranger, "password": "x"})
    event = await registration_event(registration_engine, user["id"])
    for crash in (False, True):
        service = ValidationService(
            GuardedSource(crash), MemoryPublisher(), RetryPolicy(), no_fresh_answers()
        )
        await service.validate(LookupRequest.from_event(event))  # type: ignore[arg-type]
    logs = service_logs.getvalue()
    assert "census_lookup_crashed" in logs  # with its traceback, in the console format
    for cedula in (user["cedula"], stranger):
        assert mask_cedula(cedula) in logs  # the lines were written, and caught here
        assert cedula not in logs


# --- the raw census answer


def failed_lookup(user: dict[str, Any]) -> ValidationFailed:
    data = ValidationFailedData(
        user_id=user["id"],
        cedula=user["cedula"],
        request_id=uuid.uuid4(),
        attempt=1,
        source="wsp",
        status=CensusStatus.ERROR,
        reason="respuesta inesperada",
        will_retry=False,
        raw_response=RAW,
        failed_at=datetime.now(UTC),
    )
    return ValidationFailed(producer="tests", data=data)


@pytest.fixture(scope="module")
async def raw_answers(cast: Cast, projector: Projector) -> None:
    users = [cast.browsers[role].user for role in ("USER", "LEADER")]
    users += [cast.browsers[role].referral for role in ("USER", "LEADER")]
    await project(projector, *(failed_lookup(user) for user in users))


def pages_of(role: str, cast: Cast) -> list[str]:
    me, referral = cast.browsers[role].user["id"], cast.browsers[role].referral["id"]
    pages = ["/inicio", "/perfil", f"/censo/{me}", "/referidos", "/referidos.csv"]
    if role == "LEADER":
        pages += [f"/censo/{referral}", f"/referidos/fila/{referral}"]
    return pages


@pytest.mark.parametrize("role", ["USER", "LEADER"])
async def test_users_and_leaders_never_see_the_raw_census_answer(
    site: httpx.AsyncClient, cast: Cast, raw_answers: None, role: str
) -> None:
    play(site, cast.browsers[role].cookies)
    for path in pages_of(role, cast):
        response = await site.get(path)
        assert response.status_code == 200, path
        assert "RESPUESTA-CRUDA" not in response.text, path


async def test_admins_see_the_raw_census_answer_escaped(
    site: httpx.AsyncClient, cast: Cast, raw_answers: None
) -> None:
    play(site, cast.browsers["ADMIN"].cookies)
    for user in (cast.browsers["LEADER"].referral, cast.browsers["USER"].user):
        page = await site.get(f"/admin/usuarios/{user['id']}")
        assert "&lt;html&gt;RESPUESTA-CRUDA-DEL-CENSO&lt;/html&gt;" in page.text
        assert RAW not in page.text


# --- secrets in the repository

SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    "Stripe live key": re.compile(r"\b[sr]k_live_[A-Za-z0-9]{16,}"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "JSON web token": re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\."),
    "secret assigned a literal": re.compile(
        r"""(?ix)\b\w*(password|passwd|secret|token|api_?key)\w*\b["']?\s*[:=]\s*
        (SecretStr\()?["'](?P<value>[^"'\s{}$<>]{8,})["']"""
    ),
}
# Literal values that are no secret: the sample sign-up password of the README and benchmarks,
# the key the local captcha simulator accepts, and Spanish field labels.
NOT_SECRETS = {"Girasol-2026", "simulator", "Contraseña"}
ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]+$")  # `PASSWORD_ENV = "CENSO_ADMIN_PASSWORD"`


def secrets_in(content: str) -> list[str]:
    found = []
    for kind, pattern in SECRET_PATTERNS.items():
        for match in pattern.finditer(content):
            value = match.groupdict().get("value")
            if value is None or not (value in NOT_SECRETS or ENV_NAME.match(value)):
                found.append(kind)
    return found


# `.env.example` is the template with every secret left empty (tests/unit/deployment checks it).
SECRET_FILES = re.compile(r"(^|/)(\.env(?!\.example$)(\..+)?|id_[rd]sa|.+\.(pem|key|p12|pfx|jks))$")


def committed_files() -> list[str]:
    """What git tracks, and what it would add (new files not ignored): not .local/, .venv/."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    return [path for path in listed if (REPO / path).is_file()]


def test_local_state_is_ignored_by_git() -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", ".local/dev.env", ".venv/bin/python"], cwd=REPO, capture_output=True
    )
    assert ignored.returncode == 0
    assert not any(path.startswith((".local/", ".venv/")) for path in committed_files())


def test_no_secret_is_committed() -> None:
    found = []
    for path in committed_files():
        if SECRET_FILES.search(path):
            found.append((path, "a key or .env file"))
        if path.startswith("tests/") or "/vendor/" in path or path.endswith(".lock"):
            continue  # test fixtures use throw-away tokens; vendored and lock files are not ours
        content = (REPO / path).read_text(encoding="utf-8", errors="ignore")
        found += [(path, kind) for kind in secrets_in(content)]
    assert found == []


def test_the_secret_scan_catches_what_it_looks_for() -> None:
    samples = [
        'service_token: SecretStr = SecretStr("dev-only-registration-token")',
        'API_KEY = "abcd1234efgh5678"',
        "-----BEGIN RSA PRIVATE KEY-----",
    ]
    for sample in samples:
        assert secrets_in(sample), sample
    assert not secrets_in('token = os.environ["TOKEN"]')
    assert not secrets_in('ADMIN_PASSWORD_ENV = "CENSO_ADMIN_PASSWORD"')


# --- secrets come from the environment only

SETTINGS = [
    RegistrationSettings,
    WebSettings,
    WorkerSettings,
    LookupSettings,
    KafkaSettings,
    LoggingSettings,
    SimulatorSettings,
]
SECRET_NAME = re.compile(r"token|secret|password|api_key|apikey", re.IGNORECASE)


@pytest.mark.parametrize("settings_class", SETTINGS, ids=lambda c: c.__name__)
def test_settings_hold_no_default_secret(settings_class: type[BaseSettings]) -> None:
    for name, field in settings_class.model_fields.items():
        if not SECRET_NAME.search(name) or name.endswith(("_s", "_size", "_max_age_s")):
            continue
        assert field.annotation is SecretStr, f"{name} must be a SecretStr"
        default = field.get_default(call_default_factory=True)
        assert default.get_secret_value() == "", f"{name} has a default secret"


@pytest.fixture(scope="module")
async def tokenless_registration(
    create_database: Callable[[str], str],
) -> AsyncIterator[AsyncTestClient]:
    settings = RegistrationSettings(
        database_url=create_database("security_no_token"),
        kafka=KafkaSettings(bootstrap_servers="127.0.0.1:9", startup_timeout_s=1),
    )
    async with AsyncTestClient(app=create_registration_app(settings)) as client:
        yield client


@pytest.mark.parametrize("authorization", ["", "Bearer ", "Bearer dev-only-registration-token"])
async def test_the_registration_api_without_its_token_refuses_every_call(
    tokenless_registration: AsyncTestClient, authorization: str
) -> None:
    headers = {"Authorization": authorization}
    calls = [
        ("POST", "/api/users", {"cedula": new_cedula()}),
        ("POST", "/api/sessions/verify", {"cedula": "1020304050", "password": "x"}),
        ("POST", "/api/validation-requests", {"user_id": str(uuid.uuid4())}),
    ]
    for method, path, body in calls:
        response = await tokenless_registration.request(method, path, json=body, headers=headers)
        assert response.status_code == 401, path


@pytest.mark.parametrize("authorization", ["", "Bearer ", "Bearer x"])
async def test_the_web_api_without_its_token_refuses_every_call(
    web_db: str, registration: AsyncTestClient, cast: Cast, authorization: str
) -> None:
    app = create_web_app(web_settings(web_db), registration_http=registration)
    async with AsyncTestClient(app=app) as client:
        path = f"/api/users/{cast.browsers['USER'].user['id']}/census"
        response = await client.get(path, headers={"Authorization": authorization})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("missing", "settings"),
    [
        ("WEB_SESSION_SECRET", {"session_secret": "", "registration_service_token": "shared"}),
        (
            "REGISTRATION_SERVICE_TOKEN",
            {"session_secret": "s" * 32, "registration_service_token": ""},
        ),
    ],
)
def test_the_web_refuses_to_start_in_production_without_its_secrets(
    missing: str, settings: dict[str, str]
) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=missing):
        create_web_app(WebSettings(environment="production", secure_cookies=True, **settings))
