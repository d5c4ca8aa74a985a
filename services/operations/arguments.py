"""The arguments the ops commands share, and how their text becomes values: a bad one is a usage
error (one line, exit 2) before anything connects."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated

import typer

from services.common.text import ascii_number
from services.kafka_admin.browse import RecordFilter
from services.kafka_admin.dead_letters import NotADeadLetterTopic, check_topic
from services.operations.offsets import parse_target


def dead_letter_topic(text: str) -> str:
    try:
        return check_topic(text)
    except NotADeadLetterTopic as exc:
        raise typer.BadParameter(str(exc)) from None


Json = Annotated[bool, typer.Option("--json", help="JSON lines instead of tables.")]
TOPICS_DIFFER = 3  # apart from 1 (out of reach) and 2 (usage), so a script can tell them apart
CheckTopics = Annotated[
    bool,
    typer.Option(
        "--check",
        help="Compare partitions, replication factor and configs with schemas/topics.py and "
        f"KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS; exit {TOPICS_DIFFER} if any differ.",
    ),
]
Key = Annotated[str | None, typer.Option("--key", help="Record key: the cédula or user id.")]
EventType = Annotated[str | None, typer.Option("--type", help="Event type, e.g. CedulaValidated.")]
Header = Annotated[list[str], typer.Option("--header", help="NAME=VALUE, repeatable.")]
Since = Annotated[datetime | None, typer.Option("--since", help="From this time (ISO).")]
Until = Annotated[datetime | None, typer.Option("--until", help="Up to this time (ISO).")]
Topic = Annotated[
    str, typer.Argument(help="Topic name, e.g. census.results (`censo ops topics` lists them).")
]
DeadLetters = Annotated[
    str,
    typer.Argument(
        help="The dead-letter topic: census.worker.dlt or web.projector.dlt.",
        parser=dead_letter_topic,
    ),
]


def record_filter(
    key: str | None = None,
    event_type: str | None = None,
    headers: Sequence[str] = (),
    since: datetime | None = None,
    until: datetime | None = None,
) -> RecordFilter:
    pairs = dict(_header(text) for text in headers)
    if since and until and _aware(since) > _aware(until):
        raise typer.BadParameter("--since is after --until", param_hint="'--since'")
    return RecordFilter(key, event_type, pairs, since, until)


def _header(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not (name and equals):
        raise typer.BadParameter(f"{text!r} is not NAME=VALUE", param_hint="'--header'")
    return name, value


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.astimezone()  # naive means local time, as Kafka's


def spots(texts: Sequence[str]) -> set[tuple[int, int]] | None:
    """`--at PARTITION:OFFSET` values as pairs; None when none was given (every letter)."""
    if not texts:
        return None
    return {_spot(text) for text in texts}


def _spot(text: str) -> tuple[int, int]:
    partition_text, colon, offset_text = text.partition(":")
    partition, offset = ascii_number(partition_text, 9), ascii_number(offset_text, 18)
    if not colon or partition is None or offset is None:
        raise typer.BadParameter(f"{text!r} is not PARTITION:OFFSET", param_hint="'--at'")
    return partition, offset


def reset_target(text: str) -> str:
    """`--to` checked as it is parsed (so a bad one fails before Kafka is asked)."""
    try:
        parse_target(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    return text


def examples(*commands: str) -> str:
    """A command's help epilog: one example per line."""
    return "Examples:\n\n" + "\n".join(f"  {command}" for command in commands)
