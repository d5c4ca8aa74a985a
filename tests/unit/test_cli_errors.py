"""Every `censo` command fails the same way: one line, exit 2 for a usage error, exit 1 for
Kafka or a database out of reach; a bug keeps its traceback."""

from __future__ import annotations

import pytest
import typer
from aiokafka.errors import KafkaConnectionError
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner

from services.common.cli_errors import OneLineErrors, UsageError, unreachable_message
from services.common.db import DatabaseUnavailable


@pytest.mark.parametrize(
    ("failure", "starts"),
    [
        (KafkaConnectionError("Unable to bootstrap from [('127.0.0.1', 1)]"), "Kafka out of reach"),
        (OperationalError("SELECT 1", {}, OSError("refused")), "database out of reach"),
        (ExceptionGroup("lifespan", [DatabaseUnavailable("no answer")]), "database out of reach"),
        (ConnectionRefusedError(111, "Connect call failed"), "connection failed"),
    ],
)
def test_what_did_not_answer_is_named_in_one_line(failure: Exception, starts: str) -> None:
    message = unreachable_message(failure)
    assert message is not None and message.startswith(starts) and "\n" not in message


def test_a_wrapped_cause_counts_and_a_bug_does_not() -> None:
    try:
        raise RuntimeError("lookup failed") from TimeoutError()
    except RuntimeError as wrapped:
        assert unreachable_message(wrapped) == "connection failed: TimeoutError"
    assert unreachable_message(ValueError("a bug")) is None


app = typer.Typer(cls=OneLineErrors)


@app.callback()
def group() -> None:
    """A group, as every `censo` app is (Typer runs a lone command without its group)."""


@app.command()
def act(what: str) -> None:
    if what == "usage":
        raise UsageError("no such thing\nreally")
    if what == "kafka":
        raise KafkaConnectionError("Unable to bootstrap")
    raise ZeroDivisionError("a bug")


def test_a_usage_error_from_the_body_is_one_line_and_exit_2() -> None:
    result = CliRunner().invoke(app, ["act", "usage"], prog_name="censo")
    assert (result.exit_code, result.stderr) == (2, "censo: no such thing really (see --help)\n")


def test_kafka_out_of_reach_is_one_line_and_exit_1() -> None:
    result = CliRunner().invoke(app, ["act", "kafka"], prog_name="censo")
    assert (result.exit_code, result.stderr) == (
        1,
        "censo: Kafka out of reach: KafkaConnectionError: Unable to bootstrap\n",
    )


def test_a_bug_keeps_its_exception() -> None:
    result = CliRunner().invoke(app, ["act", "bug"], prog_name="censo")
    assert result.exit_code == 1 and isinstance(result.exception, ZeroDivisionError)
