"""`censo ops dlt …`: the dead letters, with why they failed; sending them back."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from services.common.cli_errors import OneLineErrors, UsageError
from services.common.graceful import run_stoppable
from services.common.settings import KafkaSettings
from services.operations import commands, reading
from services.operations.arguments import DeadLetters, Json, Key, examples, record_filter, spots

dlt_app = typer.Typer(
    cls=OneLineErrors, help="Dead letters: list, show, redrive.", no_args_is_help=True
)


@dlt_app.command(
    "list",
    epilog=examples(
        "censo ops dlt list census.worker.dlt",
        "censo ops dlt list web.projector.dlt --key 1102812122 --json",
    ),
)
def dlt_list(
    dlt: DeadLetters,
    key: Key = None,
    limit: Annotated[int, typer.Option(help="At most this many letters.", min=1)] = 50,
    as_json: Json = False,
) -> None:
    """Dead letters with why they failed and where they came from."""
    asyncio.run(reading.dlt_list(KafkaSettings(), dlt, record_filter(key), limit, as_json))


@dlt_app.command("show", epilog=examples("censo ops dlt show census.worker.dlt 0 42"))
def dlt_show(
    dlt: DeadLetters,
    partition: Annotated[int, typer.Argument(help="The letter's partition.", min=0)],
    offset: Annotated[int, typer.Argument(help="The letter's offset.", min=0)],
    as_json: Json = False,
) -> None:
    """One dead letter in full: headers and decoded payload."""
    asyncio.run(reading.dlt_show(KafkaSettings(), dlt, partition, offset, as_json))


@dlt_app.command(
    "redrive",
    epilog=examples(
        "censo ops dlt redrive census.worker.dlt --at 0:42",
        "censo ops dlt redrive census.worker.dlt --kind BLOCKED",
        "censo ops dlt redrive census.worker.dlt --all",
        "censo ops dlt redrive census.worker.dlt --at 0:42 --again",
    ),
)
def dlt_redrive(
    dlt: DeadLetters,
    at: Annotated[list[str], typer.Option("--at", help="PARTITION:OFFSET, repeatable.")] = [],  # noqa: B006 (typer reads the default)
    key: Key = None,
    kind: Annotated[str | None, typer.Option(help="Failure kind, e.g. TIMEOUT.")] = None,
    all_letters: Annotated[
        bool, typer.Option("--all", help="Every letter (or every match).")
    ] = False,
    again: Annotated[
        bool,
        typer.Option(
            "--again", help="Also letters an earlier redrive sent (never truncated/undecodable)."
        ),
    ] = False,
) -> None:
    """Send letters back to their original topic (one, a filtered set, or all); audited.

    Truncated or undecodable letters, letters whose home is a dead-letter topic and letters
    an earlier redrive sent (unless --again) stay where they are, counted by reason."""
    if not (at or key or kind or all_letters):
        raise UsageError("say which letters: --at, --key, --kind or --all")
    where = record_filter(key, None, [f"failure_kind={kind}"] if kind else [])
    run_stoppable(commands.dlt_redrive(KafkaSettings(), dlt, where, spots(at), again))
