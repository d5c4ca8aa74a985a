"""`censo` fails in one line: exit 2 for a usage error, exit 1 for Kafka or a database out of
reach (here a closed port, so each answer is immediate), never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from importlib.metadata import version

import pytest
from typer.testing import CliRunner, Result

from services import cli

CLOSED = "127.0.0.1:1"


@pytest.fixture(autouse=True)
def nothing_reachable(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", CLOSED)
    monkeypatch.setenv("WEB_DATABASE_URL", f"postgresql+asyncpg://censo:x@{CLOSED}/web")
    # The logging set-up would bind the runner's short-lived stderr to the root logger.
    monkeypatch.setattr(cli, "configure_logging", lambda settings, service: None)
    aiokafka = logging.getLogger("aiokafka")
    level = aiokafka.level
    yield
    aiokafka.setLevel(level)


def censo(*args: str) -> Result:
    return CliRunner().invoke(cli.app, list(args), prog_name="censo")


def assert_one_line(result: Result, exit_code: int) -> str:
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_version_comes_from_the_package_metadata() -> None:
    result = censo("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"censo {version('censo')}"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["ops", "reset-offsets", "web-projector", "--to", "yesterday"], "'--to'"),
        (["ops", "peek", "census.results", "--header", "ce_type"], "'--header'"),
        (["ops", "peek", "census.results", "--since", "ayer"], "'--since'"),
        (
            ["ops", "peek", "census.results", "--since", "2026-12-02", "--until", "2026-12-01"],
            "after --until",
        ),
        (["ops", "dlt", "list", "census.results"], "not a dead-letter topic"),
        (["ops", "dlt", "redrive", "census.worker.dlt"], "say which letters"),
        (["ops", "dlt", "redrive", "census.worker.dlt", "--at", "0-42"], "'--at'"),
        (["ops", "dlt", "show", "census.worker.dlt", "0"], "Missing argument"),
        (["ops", "no-such-command"], "No such command"),
        (["ops", "hosts", "resume"], "Missing argument"),
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(args: list[str], says: str) -> None:
    assert says in assert_one_line(censo(*args), 2)


@pytest.mark.parametrize(
    "args",
    [
        ["ops", "topics"],
        ["ops", "groups", "--json"],
        ["ops", "peek", "census.results"],
        ["ops", "dlt", "list", "census.worker.dlt"],
        ["ops", "reset-offsets", "web-projector", "--to", "earliest"],
        ["ops", "status"],
        ["ops", "hosts", "resume", "wsp"],
    ],
)
def test_kafka_out_of_reach_is_one_line_and_exit_1(args: list[str]) -> None:
    line = assert_one_line(censo(*args), 1)
    assert line.startswith("censo: Kafka out of reach:") and CLOSED.split(":")[0] in line


@pytest.mark.parametrize(
    "args",
    [
        ["ops", "revalidate", "--dry-run"],
        ["ops", "rebuild"],
        ["ops", "revalidate"],
        ["ops", "plans", "run-due"],
        ["ops", "plans", "list"],
    ],
)
def test_the_web_database_out_of_reach_is_one_line_and_exit_1(args: list[str]) -> None:
    line = assert_one_line(censo(*args), 1)
    assert line.startswith(f"censo: database out of reach: web database at {CLOSED}/web")
    assert "censo:x" not in line  # never the password


def test_every_positional_argument_of_the_operators_commands_is_documented() -> None:
    import typer.core
    import typer.main

    from services.operations.cli import app as ops_app

    ops = typer.main.get_group(ops_app)
    groups = [ops.commands["dlt"], ops.commands["hosts"], ops.commands["plans"]]
    assert all(isinstance(group, typer.core.TyperGroup) for group in groups)
    inner = [command for group in groups for command in group.commands.values()]
    for command in [*ops.commands.values(), *inner]:
        if command in groups:
            continue
        for param in command.params:
            if param.param_type_name == "argument":
                assert getattr(param, "help", None), f"{command.name} {param.name}"
        assert (command.epilog or "").startswith("Examples:"), command.name
