"""The ops commands' bodies: talk to Kafka (and the web read model), print with render."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime

import typer
from aiokafka import AIOKafkaProducer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.db import make_engine
from services.common.kafka import make_producer
from services.common.settings import KafkaSettings
from services.operations import dead_letters, offsets, render
from services.operations.audit import operator_name, record_action
from services.operations.browse import RecordFilter, follow, records, view
from services.operations.kafka_state import (
    all_groups,
    group_lags,
    kafka_clients,
    partitions_of,
    topic_states,
)
from services.operations.revalidate import Selection, select_targets
from services.operations.revalidate import revalidate as publish_requests
from services.operations.runs import RunKind, recorded_run
from services.web.entrypoints.subscribers import PROJECTED_TOPICS
from services.web.projection.rebuild import (
    WEB_MIGRATIONS,
    ReadModelRebuild,
    RebuildProgress,
    drop_retired,
)
from services.web.settings import WebSettings

__all__ = ["Selection"]

REBUILD_TARGET = "modelo de lectura del tablero"  # what the run and the audit name


def make_filter(
    key: str | None = None,
    event_type: str | None = None,
    headers: Sequence[str] = (),
    since: datetime | None = None,
    until: datetime | None = None,
) -> RecordFilter:
    pairs = dict(h.split("=", 1) for h in headers if "=" in h)
    return RecordFilter(key, event_type, pairs, since, until)


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        console=render.console,
    )


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


async def peek(
    settings: KafkaSettings, topic: str, where: RecordFilter, limit: int, as_json: bool
) -> None:
    async with kafka_clients(settings) as clients:
        async for record in records(clients, topic, where, limit):
            render.record(view(record), as_json)


async def tail(settings: KafkaSettings, topic: str, where: RecordFilter, as_json: bool) -> None:
    async with kafka_clients(settings) as clients:
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
    raise typer.BadParameter(f"no letter at {partition}:{offset} in {dlt}")


async def dlt_redrive(
    settings: KafkaSettings, dlt: str, where: RecordFilter, at: Sequence[str]
) -> None:
    chosen = {tuple(int(x) for x in spot.split(":", 1)) for spot in at} if at else None
    producer = make_producer(settings, "ops")
    await producer.start()
    try:
        async with kafka_clients(settings) as clients:
            report = await dead_letters.redrive(
                clients,
                producer,
                dlt,
                where,
                chosen,  # type: ignore[arg-type]
                progress=lambda n: render.console.print(f"  redriven {n}", end="\r"),
            )
    finally:
        await producer.stop()
    render.console.print(f"redriven {report.redriven} letters from {dlt}; skipped {report.skipped}")


async def revalidate(
    settings: KafkaSettings, selection: Selection, dry_run: bool, yes: bool
) -> None:
    engine = make_engine(WebSettings().database_url, pool_size=1)
    try:
        targets = await select_targets(engine, selection)
        render.console.print(f"{len(targets)} users selected ({selection.describe()})")
        if dry_run or not targets:
            return
        if not yes and not typer.confirm(f"Publish {len(targets)} revalidation requests?"):
            raise typer.Abort()
        producer = make_producer(settings, "ops")
        await producer.start()
        try:
            await _publish_with_progress(engine, producer, targets, selection)
        finally:
            await producer.stop()
    finally:
        await engine.dispose()


async def _publish_with_progress(
    engine: AsyncEngine, producer: AIOKafkaProducer, targets: list, selection: Selection
) -> None:
    """A progress bar here, and the run with its progress for the web's Operación page."""
    started = time.monotonic()
    run = recorded_run(
        engine, RunKind.REVALIDATION, operator_name(), selection.describe(), len(targets)
    )
    async with run as recorded:
        with progress_bar() as bar:
            task = bar.add_task("revalidación", total=len(targets), rate="")

            def advance(done: int) -> None:
                rate = done / max(time.monotonic() - started, 1e-6)
                bar.update(task, completed=done, rate=f"{rate:,.0f}/s")
                recorded.advance(done)

            await publish_requests(producer, targets, selection, advance)


async def reset_offsets(
    settings: KafkaSettings, group: str, to: str | datetime, execute: bool
) -> None:
    async with kafka_clients(settings) as (admin, consumer):
        try:
            moves = await offsets.plan_reset(admin, consumer, group, to)
        except offsets.GroupIsActive as exc:
            render.console.print(f"[red]refused:[/] {exc}")
            raise typer.Exit(2) from exc
    render.table(
        f"{group} → {to}",
        ["topic", "partition", "current", "target"],
        [(m.topic, m.partition, m.current, m.target) for m in moves],
    )
    if not execute:
        render.console.print("dry run: nothing changed (add --execute to apply)")
        return
    await offsets.apply_reset(settings, group, moves)
    producer = make_producer(settings, "ops")
    await producer.start()
    try:
        await record_action(producer, "reset-offsets", group, len(moves), to=str(to))
    finally:
        await producer.stop()
    render.console.print(f"moved {len(moves)} partitions of {group}")


async def rebuild(settings: KafkaSettings, batch_size: int, keep_old: bool) -> None:
    web = WebSettings()
    engine = make_engine(web.database_url, pool_size=2)
    try:
        run = recorded_run(engine, RunKind.REBUILD, operator_name(), REBUILD_TARGET)
        async with run as recorded, kafka_clients(settings) as (admin, consumer):
            partitions = await partitions_of(admin, [spec.name for spec in PROJECTED_TOPICS])
            job = ReadModelRebuild(engine, consumer, WEB_MIGRATIONS, batch_size)
            with progress_bar() as bar:
                task = bar.add_task("reconstrucción", total=None, rate="")

                def advance(progress: RebuildProgress) -> None:
                    rate = f"{progress.rate:,.0f} ev/s"
                    bar.update(task, completed=progress.done, total=progress.total, rate=rate)
                    recorded.advance(progress.done, progress.total)

                report = await job.run(partitions, advance)
            recorded.message = f"{report.skipped} eventos ilegibles omitidos"
        if not keep_old:
            await drop_retired(engine, report.schema)
    finally:
        await engine.dispose()
    producer = make_producer(settings, "ops")
    await producer.start()
    try:
        await record_action(
            producer, "rebuild", REBUILD_TARGET, report.events, seconds=f"{report.seconds:.1f}"
        )
    finally:
        await producer.stop()
    render.console.print(
        f"rebuilt from {report.events} events in {report.seconds:.1f} s "
        f"({report.events / max(report.seconds, 1e-6):,.0f}/s; {report.skipped} unreadable skipped)"
    )
