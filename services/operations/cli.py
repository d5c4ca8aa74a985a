"""`censo ops …`: see and steer the event flow without writing code."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from datetime import datetime
from typing import Annotated, Any, TypeVar

import typer

from schemas.census import CensusStatus
from schemas.topics import ALL_TOPICS
from services.common.settings import KafkaSettings
from services.operations import commands
from services.web.projection.rebuild import DEFAULT_BATCH

T = TypeVar("T")
app = typer.Typer(
    help="Operators: topics, groups, dead letters, revalidation, offsets.", no_args_is_help=True
)
dlt_app = typer.Typer(help="Dead letters: list, show, redrive.", no_args_is_help=True)
app.add_typer(dlt_app, name="dlt")

Json = Annotated[bool, typer.Option("--json", help="JSON lines instead of tables.")]
Key = Annotated[str | None, typer.Option("--key", help="Record key: the cédula or user id.")]
EventType = Annotated[str | None, typer.Option("--type", help="Event type, e.g. CedulaValidated.")]
Header = Annotated[list[str], typer.Option("--header", help="NAME=VALUE, repeatable.")]
Since = Annotated[datetime | None, typer.Option("--since", help="From this time (ISO).")]
Until = Annotated[datetime | None, typer.Option("--until", help="Up to this time (ISO).")]


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


@app.command()
def topics(as_json: Json = False) -> None:
    """Every declared topic: partitions, offsets and message counts."""
    run(commands.show_topics(KafkaSettings(), [spec.name for spec in ALL_TOPICS], as_json))


@app.command()
def groups(as_json: Json = False) -> None:
    """Every consumer group: state and lag per partition."""
    run(commands.show_groups(KafkaSettings(), as_json))


@app.command()
def peek(
    topic: str,
    key: Key = None,
    event_type: EventType = None,
    header: Header = [],  # noqa: B006 (typer reads the default)
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, typer.Option(help="At most this many records.")] = 20,
    as_json: Json = False,
) -> None:
    """Records of TOPIC from the start (or --since), decoded, filtered."""
    where = commands.make_filter(key, event_type, header, since, until)
    run(commands.peek(KafkaSettings(), topic, where, limit, as_json))


@app.command()
def tail(
    topic: str,
    key: Key = None,
    event_type: EventType = None,
    header: Header = [],  # noqa: B006
    as_json: Json = False,
) -> None:
    """Records of TOPIC as they arrive, until Ctrl-C."""
    where = commands.make_filter(key, event_type, header, None, None)
    with contextlib.suppress(KeyboardInterrupt):
        run(commands.tail(KafkaSettings(), topic, where, as_json))


@dlt_app.command("list")
def dlt_list(
    dlt: Annotated[str, typer.Argument(help="census.worker.dlt or web.projector.dlt")],
    key: Key = None,
    limit: Annotated[int, typer.Option(help="At most this many letters.")] = 50,
    as_json: Json = False,
) -> None:
    """Dead letters with why they failed and where they came from."""
    run(commands.dlt_list(KafkaSettings(), dlt, commands.make_filter(key), limit, as_json))


@dlt_app.command("show")
def dlt_show(dlt: str, partition: int, offset: int, as_json: Json = False) -> None:
    """One dead letter in full: headers and decoded payload."""
    run(commands.dlt_show(KafkaSettings(), dlt, partition, offset, as_json))


@dlt_app.command("redrive")
def dlt_redrive(
    dlt: str,
    at: Annotated[list[str], typer.Option("--at", help="PARTITION:OFFSET, repeatable.")] = [],  # noqa: B006
    key: Key = None,
    kind: Annotated[str | None, typer.Option(help="Failure kind, e.g. TIMEOUT.")] = None,
    all_letters: Annotated[
        bool, typer.Option("--all", help="Every letter (or every match).")
    ] = False,
) -> None:
    """Send letters back to their original topic (one, a filtered set, or all); audited."""
    if not (at or key or kind or all_letters):
        raise typer.BadParameter("say which letters: --at, --key, --kind or --all")
    headers = [f"failure_kind={kind}"] if kind else []
    run(commands.dlt_redrive(KafkaSettings(), dlt, commands.make_filter(key, None, headers), at))


@app.command()
def revalidate(
    status: Annotated[list[CensusStatus], typer.Option(help="Census status, repeatable.")] = [],  # noqa: B006
    leader: Annotated[
        str | None, typer.Option(help="Referrals of the leader with this cédula.")
    ] = None,
    registered_from: Annotated[datetime | None, typer.Option(help="Registered on/after.")] = None,
    registered_to: Annotated[datetime | None, typer.Option(help="Registered before.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count the selection.")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Publish ValidationRequested (reason revalidation) for a selection of users."""
    selection = commands.Selection(status, leader, registered_from, registered_to)
    run(commands.revalidate(KafkaSettings(), selection, dry_run, yes))


@app.command("reset-offsets")
def reset_offsets(
    group: str,
    to: Annotated[str, typer.Option(help="earliest, latest or an ISO date-time.")],
    execute: Annotated[bool, typer.Option("--execute", help="Apply (default: dry run).")] = False,
) -> None:
    """Move GROUP's committed offsets; refused while the group has members."""
    target: str | datetime = to if to in ("earliest", "latest") else datetime.fromisoformat(to)
    run(commands.reset_offsets(KafkaSettings(), group, target, execute))


@app.command()
def rebuild(
    batch: Annotated[int, typer.Option(help="Records per transaction.")] = DEFAULT_BATCH,
    keep_old: Annotated[
        bool, typer.Option("--keep-old", help="Keep the replaced tables in a retired_* schema.")
    ] = False,
) -> None:
    """Rebuild the web read model next to the live one, then swap it in; the site keeps serving."""
    run(commands.rebuild(KafkaSettings(), batch, keep_old))
