"""`censo lookup` and `censo worker run` exit codes: 2 for a usage error, 1 when the census or
Kafka cannot be reached, each with one line on stderr and never a traceback."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Callable

import pytest
import typer
from typer.testing import CliRunner

from schemas.census import CensusStatus
from services.census_worker.domain.model import CensusSource, LookupResult
from services.census_worker.entrypoints import cli as worker_cli
from services.census_worker.lookup import factory
from services.census_worker.lookup.settings import LookupSettings
from tests.support.fakes import ScriptedSource, active, failed
from tests.support.infra import free_port


def censo() -> typer.Typer:
    """The worker's commands mounted as the root `censo` command mounts them."""
    root = typer.Typer()
    root.add_typer(worker_cli.app, name="worker")
    root.command()(worker_cli.lookup)
    return root


Census = Callable[..., ScriptedSource]


@pytest.fixture
def census(monkeypatch: pytest.MonkeyPatch) -> Census:
    """Makes `censo lookup` open a scripted census source (no browser) giving these answers."""

    def answering(*answers: LookupResult) -> ScriptedSource:
        source = ScriptedSource(answers)

        @contextlib.asynccontextmanager
        async def open_source(settings: LookupSettings) -> AsyncIterator[CensusSource]:
            yield source

        monkeypatch.setattr(factory, "open_census_source", open_source)
        return source

    return answering


def test_an_invalid_cedula_is_a_usage_error_in_one_line(census: Census) -> None:
    source = census(active())

    result = CliRunner().invoke(censo(), ["lookup", "0123"])

    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "invalid CEDULA" in result.stderr
    assert source.calls == []


def test_a_cedula_typed_with_dots_is_looked_up_as_digits(census: Census) -> None:
    source = census(active())

    result = CliRunner().invoke(censo(), ["lookup", "1.102.812.122"])

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == "ACTIVE"
    assert source.calls == ["1102812122"]


def test_a_final_answer_other_than_found_exits_0(census: Census) -> None:
    census(LookupResult(CensusStatus.NOT_FOUND, "fake"))

    result = CliRunner().invoke(censo(), ["lookup", "52123456"])

    assert result.exit_code == 0
    assert json.loads(result.stdout)["status"] == "NOT_FOUND"


def test_a_lookup_the_census_did_not_answer_exits_1_with_one_line(census: Census) -> None:
    unreachable = failed(CensusStatus.ERROR)
    census(unreachable)

    result = CliRunner().invoke(censo(), ["lookup", "1102812122"])

    assert result.exit_code == 1
    assert json.loads(result.stdout)["status"] == "ERROR"  # the whole answer, for the operator
    assert result.stderr.strip() == f"no answer from the census: ERROR: {unreachable.reason}"


def test_the_worker_without_kafka_exits_1_with_one_line_and_no_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", f"127.0.0.1:{free_port()}")
    monkeypatch.setenv("KAFKA_STARTUP_TIMEOUT_S", "0.5")
    monkeypatch.setenv("WORKER_METRICS_PORT", "0")
    # Not live, and a captcha service out of reach: the balance check only warns.
    monkeypatch.setenv("CENSUS_WSP_URL", "http://127.0.0.1:9/censo/consultar/")
    monkeypatch.setenv("CENSUS_CAPTCHA_BASE_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("CENSUS_CAPTCHA_API_KEY", "key")

    result = CliRunner().invoke(censo(), ["worker", "run"])

    assert result.exit_code == 1
    (line,) = [line for line in result.stderr.splitlines() if "census worker" in line]
    assert line.startswith("census worker not started: Kafka at 127.0.0.1:")
    assert "Traceback" not in result.output + result.stderr


def test_the_worker_in_live_mode_without_an_api_key_exits_1_with_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WORKER_METRICS_PORT", "0")
    monkeypatch.delenv("CENSUS_CAPTCHA_API_KEY", raising=False)
    monkeypatch.delenv("CENSUS_WSP_URL", raising=False)  # the Registraduría's own site

    result = CliRunner().invoke(censo(), ["worker", "run"])

    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "census worker not started: CENSUS_CAPTCHA_API_KEY is not set (live mode)"
    ]


def test_every_argument_has_help_and_the_commands_show_examples() -> None:
    for args in (["lookup", "--help"], ["worker", "run", "--help"]):
        result = CliRunner().invoke(censo(), args, env={"COLUMNS": "200"})
        assert result.exit_code == 0
        assert "Examples:" in result.stdout
    lookup_help = CliRunner().invoke(censo(), ["lookup", "--help"], env={"COLUMNS": "200"})
    assert "The cédula to look up" in lookup_help.stdout
