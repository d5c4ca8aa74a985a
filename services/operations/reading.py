"""The bodies of the ops commands that only look: topics, groups, records, dead letters."""

from __future__ import annotations

from collections.abc import Sequence

from aiokafka.admin import AIOKafkaAdminClient

from schemas.topics import TopicSpec
from services.common.cli_errors import UsageError
from services.common.settings import KafkaSettings
from services.kafka_admin import dead_letters
from services.kafka_admin.browse import RecordFilter, follow, records, view
from services.kafka_admin.clients import kafka_clients
from services.kafka_admin.groups import all_groups, group_lags
from services.kafka_admin.topic_config import topic_differences
from services.kafka_admin.topics import topic_states
from services.operations import render


async def show_topics(settings: KafkaSettings, names: list[str], as_json: bool) -> None:
    async with kafka_clients(settings) as (admin, consumer):
        states = await topic_states(admin, consumer, names)
    if as_json:
        for state in states:
            render.json_line({**state.__dict__, "messages": state.messages})
        return
    totals: dict[str, tuple[int, int]] = {}
    for state in states:
        partitions, messages = totals.get(state.topic, (0, 0))
        totals[state.topic] = (partitions + 1, messages + state.messages)
    render.table(
        "Topics",
        ["topic", "partitions", "messages"],
        [(topic, partitions, messages) for topic, (partitions, messages) in totals.items()],
    )


async def check_topics(settings: KafkaSettings, specs: Sequence[TopicSpec], as_json: bool) -> int:
    """Print how the live topics differ from their declaration; return how many differences."""
    async with kafka_clients(settings) as (admin, _):
        differences = await topic_differences(admin, specs, settings)
    if as_json:
        for difference in differences:
            render.json_line(difference.__dict__)
    elif differences:
        render.table(
            "Topics that differ from schemas/topics.py",
            ["topic", "setting", "declared", "live"],
            [(d.topic, d.setting, d.declared, d.live) for d in differences],
        )
    else:
        render.console.print(
            f"{len(specs)} topics as declared (replication factor {settings.replication_factor}, "
            f"min.insync.replicas {settings.min_insync_replicas})"
        )
    return len(differences)


async def show_groups(settings: KafkaSettings, as_json: bool) -> None:
    async with kafka_clients(settings) as (admin, consumer):
        lags = [
            lag
            for group in await all_groups(admin)
            for lag in await group_lags(admin, consumer, group)
        ]
    if as_json:
        for lag in lags:
            render.json_line({**lag.__dict__, "lag": lag.lag})
        return
    render.table(
        "Consumer groups",
        ["group", "state", "topic", "partition", "committed", "end", "lag"],
        [(g.group, g.state, g.topic, g.partition, g.committed, g.end, g.lag) for g in lags],
    )


async def _require_topic(admin: AIOKafkaAdminClient, topic: str) -> None:
    if topic not in await admin.list_topics():
        raise UsageError(f"no topic {topic} in Kafka (`censo ops topics` lists them)")


async def peek(
    settings: KafkaSettings, topic: str, where: RecordFilter, limit: int, as_json: bool
) -> None:
    async with kafka_clients(settings) as clients:
        await _require_topic(clients[0], topic)
        async for record in records(clients, topic, where, limit):
            render.record(view(record), as_json)


async def tail(settings: KafkaSettings, topic: str, where: RecordFilter, as_json: bool) -> None:
    async with kafka_clients(settings) as clients:
        await _require_topic(clients[0], topic)
        async for record in follow(clients, topic, where):
            render.record(view(record), as_json)


async def dlt_list(
    settings: KafkaSettings, dlt: str, where: RecordFilter, limit: int, as_json: bool
) -> None:
    async with kafka_clients(settings) as clients:
        letters = [view(r) async for r in dead_letters.letters(clients, dlt, where, limit)]
    if as_json:
        for letter in letters:
            render.json_line(letter.as_json())
        return
    render.table(
        f"Dead letters in {dlt}",
        ["partition", "offset", "key", "from", "kind", "attempt", "message", "first failure"],
        [
            (
                v.partition,
                v.offset,
                v.key,
                v.headers.get("failure_original_topic"),
                v.headers.get("failure_kind"),
                v.headers.get("failure_attempt"),
                (v.headers.get("failure_message") or "")[:80],
                v.headers.get("failure_first_at"),
            )
            for v in letters
        ],
    )


async def dlt_show(
    settings: KafkaSettings, dlt: str, partition: int, offset: int, as_json: bool
) -> None:
    async with kafka_clients(settings) as clients:
        async for record in dead_letters.letters(clients, dlt, RecordFilter()):
            if (record.partition, record.offset) == (partition, offset):
                render.record(view(record), as_json)
                return
    raise UsageError(f"no letter at {partition}:{offset} in {dlt}")
