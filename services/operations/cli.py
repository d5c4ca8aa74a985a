"""`censo ops …`: see and steer the event flow without writing code (docs/operations.md)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime
from typing import Annotated

import typer

from schemas.census import CensusStatus
from schemas.topics import ALL_TOPICS
from services.common.cli_errors import OneLineErrors
from services.common.graceful import run_stoppable
from services.common.settings import KafkaSettings
from services.operations import commands, reading
from services.operations.arguments import (
    TOPICS_DIFFER,
    CheckTopics,
    EventType,
    Header,
    Json,
    Key,
    Since,
    Topic,
    Until,
    examples,
    record_filter,
    reset_target,
)
from services.operations.dlt_cli import dlt_app
from services.operations.hosts_cli import STATUS_EXAMPLES, hosts_app
from services.operations.hosts_cli import status as census_status
from services.operations.offsets import parse_target
from services.operations.plans_cli import plans_app
from services.web.projection.rebuild import DEFAULT_BATCH

app = typer.Typer(
    cls=OneLineErrors,
    help="Operators: topics, groups, records, dead letters, revalidation (and planned ones), "
    "offsets, rebuild, the census hosts' capacity.",
    no_args_is_help=True,
)
app.add_typer(dlt_app, name="dlt")
app.add_typer(hosts_app, name="hosts")
app.add_typer(plans_app, name="plans")
app.command("status", epilog=STATUS_EXAMPLES)(census_status)


@app.callback()
def _quiet_kafka_client() -> None:
    # These commands say in one line when Kafka is out of reach; aiokafka's own error lines for
    # each refused connection would only repeat it.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)


@app.command(
    epilog=examples("censo ops topics", "censo ops topics --json", "censo ops topics --check")
)
def topics(as_json: Json = False, check: CheckTopics = False) -> None:
    """Every declared topic: partitions and message counts (--json: offsets per partition);
    --check: how they differ from their declaration."""
    if check:
        if asyncio.run(reading.check_topics(KafkaSettings(), ALL_TOPICS, as_json)):
            raise typer.Exit(TOPICS_DIFFER)
        return
    names = [spec.name for spec in ALL_TOPICS]
    asyncio.run(reading.show_topics(KafkaSettings(), names, as_json))


@app.command(epilog=examples("censo ops groups", "censo ops groups --json"))
def groups(as_json: Json = False) -> None:
    """Every consumer group: state and lag per partition."""
    asyncio.run(reading.show_groups(KafkaSettings(), as_json))


@app.command(
    epilog=examples(
        "censo ops peek census.results --key 1102812122",
        "censo ops peek census.results --type ValidationFailed --since 2026-11-28T08:00",
        "censo ops peek accounts.events --header ce_source=registration --limit 5 --json",
    )
)
def peek(
    topic: Topic,
    key: Key = None,
    event_type: EventType = None,
    header: Header = [],  # noqa: B006 (typer reads the default)
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, typer.Option(help="At most this many records.", min=1)] = 20,
    as_json: Json = False,
) -> None:
    """Records of the topic from the start (or --since), decoded, filtered; joins no group."""
    where = record_filter(key, event_type, header, since, until)
    asyncio.run(reading.peek(KafkaSettings(), topic, where, limit, as_json))


@app.command(epilog=examples("censo ops tail census.results --type CedulaValidated"))
def tail(
    topic: Topic,
    key: Key = None,
    event_type: EventType = None,
    header: Header = [],  # noqa: B006
    as_json: Json = False,
) -> None:
    """Records of the topic as they arrive, until Ctrl-C; joins no group."""
    where = record_filter(key, event_type, header)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(reading.tail(KafkaSettings(), topic, where, as_json))


@app.command(
    epilog=examples(
        "censo ops revalidate --status ERROR --status TIMEOUT --dry-run",
        "censo ops revalidate --status BLOCKED --yes",
        "censo ops revalidate --leader 1020304050",
        "censo ops revalidate --registered-from 2026-11-01 --registered-to 2026-11-15",
        "censo ops revalidate --changed-since 2026-12-01",
    )
)
def revalidate(
    status: Annotated[list[CensusStatus], typer.Option(help="Census status, repeatable.")] = [],  # noqa: B006
    leader: Annotated[
        str | None, typer.Option(help="Referrals of the leader with this cédula.")
    ] = None,
    registered_from: Annotated[datetime | None, typer.Option(help="Registered on/after.")] = None,
    registered_to: Annotated[datetime | None, typer.Option(help="Registered before.")] = None,
    changed_since: Annotated[
        datetime | None,
        typer.Option(help="Whose census answer changed on/after (puesto, mesa, status)."),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count the selection.")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Publish ValidationRequested (reason revalidation) for a selection of users; audited."""
    selection = commands.Selection(status, leader, registered_from, registered_to, changed_since)
    run_stoppable(commands.revalidate(KafkaSettings(), selection, dry_run, yes))


@app.command(
    "reset-offsets",
    epilog=examples(
        "censo ops reset-offsets web-projector --to earliest",
        "censo ops reset-offsets census-worker --to 2026-11-28T10:00 --execute",
    ),
)
def reset_offsets(
    group: Annotated[str, typer.Argument(help="Consumer group (`censo ops groups` lists them).")],
    to: Annotated[
        str, typer.Option(help="earliest, latest or an ISO date-time.", parser=reset_target)
    ],
    execute: Annotated[bool, typer.Option("--execute", help="Apply (default: dry run).")] = False,
) -> None:
    """Move the group's committed offsets; refused while the group has members; audited."""
    run_stoppable(commands.reset_offsets(KafkaSettings(), group, parse_target(to), execute))


@app.command(epilog=examples("censo ops rebuild", "censo ops rebuild --keep-old"))
def rebuild(
    batch: Annotated[int, typer.Option(help="Records per transaction.", min=1)] = DEFAULT_BATCH,
    keep_old: Annotated[
        bool, typer.Option("--keep-old", help="Keep the replaced tables in a retired_* schema.")
    ] = False,
) -> None:
    """Rebuild the web read model next to the live one, then swap it in; the site keeps serving."""
    run_stoppable(commands.rebuild(KafkaSettings(), batch, keep_old))


@app.command(
    epilog=examples(
        "censo ops purge --before 2027-03-09", "censo ops purge --before 2027-03-09 --apply"
    )
)
def purge(
    before: Annotated[
        datetime, typer.Option(help="Remove what is older than this date (the election's).")
    ],
    apply: Annotated[bool, typer.Option("--apply", help="Remove (default: dry run).")] = False,
) -> None:
    """Remove raw census responses older than DATE from the read model, for good (rebuilds
    too); audited. What the data policy keeps only until the election."""
    moment = before if before.tzinfo else before.replace(tzinfo=UTC)
    run_stoppable(commands.purge(KafkaSettings(), moment, apply))
