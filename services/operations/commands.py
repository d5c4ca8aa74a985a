"""The bodies of the ops commands that change the flow: redrive, revalidate, reset offsets,
rebuild. Each is recorded on ops.audit; the long ones also as a run for the Operación page."""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import datetime
from uuid import UUID

import typer
from aiokafka import AIOKafkaProducer
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.cli_errors import UsageError
from services.common.settings import KafkaSettings
from services.kafka_admin import dead_letters
from services.kafka_admin.audit import operator_name, record_action
from services.kafka_admin.browse import RecordFilter
from services.kafka_admin.clients import kafka_clients, partitions_of
from services.operations import connections, offsets, render
from services.operations import purge as purge_data
from services.operations.revalidate import Selection, select_targets
from services.operations.revalidate import revalidate as publish_requests
from services.web.adapters.operation_runs import RunKind, recorded_run
from services.web.entrypoints.subscribers import PROJECTED_TOPICS
from services.web.projection.opening import RecordOpener
from services.web.projection.rebuild import (
    WEB_MIGRATIONS,
    ReadModelRebuild,
    RebuildProgress,
    RebuildReport,
    drop_retired,
)

__all__ = ["Selection"]

REBUILD_TARGET = "modelo de lectura del tablero"  # what the run and the audit name (web page)


async def dlt_redrive(
    settings: KafkaSettings,
    dlt: str,
    where: RecordFilter,
    at: set[tuple[int, int]] | None,
    again: bool = False,
) -> None:
    def progress(done: int) -> None:
        render.console.print(f"  redriven {done}", end="\r")

    async with connections.producer(settings) as producer, kafka_clients(settings) as clients:
        report = await dead_letters.redrive(
            clients, producer, dlt, where, at, progress, again=again
        )
    reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(report.skipped.items()))
    skipped = f"skipped {report.skipped_total}" + (f" ({reasons})" if reasons else "")
    render.console.print(f"redriven {report.redriven} letters from {dlt}; {skipped}")


async def revalidate(
    settings: KafkaSettings, selection: Selection, dry_run: bool, yes: bool
) -> None:
    async with connections.web_database() as engine:
        targets = await select_targets(engine, selection)
        render.console.print(f"{len(targets)} users selected")
        if dry_run or not targets:
            return
        if not yes and not typer.confirm(f"Publish {len(targets)} revalidation requests?"):
            raise typer.Abort()
        async with connections.producer(settings) as producer:
            await _publish_with_progress(engine, producer, targets, selection)


async def _publish_with_progress(
    engine: AsyncEngine,
    producer: AIOKafkaProducer,
    targets: list[tuple[UUID, str]],
    selection: Selection,
) -> None:
    """A progress bar here, and the run with its progress for the web's Operación page."""
    started = time.monotonic()
    run = recorded_run(
        engine, RunKind.REVALIDATION, operator_name(), selection.describe(), len(targets)
    )
    async with run as recorded:
        with render.progress_bar() as bar:
            task = bar.add_task("revalidation", total=len(targets), rate="")

            def advance(done: int) -> None:
                rate = done / max(time.monotonic() - started, 1e-6)
                bar.update(task, completed=done, rate=f"{rate:,.0f}/s")
                recorded.advance(done)

            async with connections.person_keys() as keys:
                await publish_requests(producer, targets, selection, advance, keys)


async def reset_offsets(
    settings: KafkaSettings, group: str, to: offsets.ResetTarget, execute: bool
) -> None:
    async with kafka_clients(settings) as (admin, consumer):
        try:
            moves = await offsets.plan_reset(admin, consumer, group, to)
        except (offsets.GroupIsActive, offsets.UnknownGroup) as exc:
            raise UsageError(f"{exc} (`censo ops groups` lists the groups)") from exc
    render.table(
        f"{group} → {to}",
        ["topic", "partition", "current", "target"],
        [(m.topic, m.partition, m.current, m.target) for m in moves],
    )
    if not execute:
        render.console.print("dry run: nothing changed (add --execute to apply)")
        return
    await offsets.apply_reset(settings, group, moves)
    async with connections.producer(settings) as producer:
        await record_action(producer, "reset-offsets", group, len(moves), to=str(to))
    render.console.print(f"moved {len(moves)} partitions of {group}")


async def rebuild(settings: KafkaSettings, batch_size: int, keep_old: bool) -> None:
    try:
        report = await _rebuild(settings, batch_size, keep_old)
    except BaseException as exc:  # failed or stopped: on the record too
        await asyncio.shield(_audit_failure(settings, "rebuild.failed", REBUILD_TARGET, exc))
        raise
    async with connections.producer(settings) as producer:
        seconds = f"{report.seconds:.1f}"
        await record_action(producer, "rebuild", REBUILD_TARGET, report.events, seconds=seconds)
    render.console.print(
        f"rebuilt from {report.events} events in {report.seconds:.1f} s "
        f"({report.events / max(report.seconds, 1e-6):,.0f}/s; {report.skipped} unreadable skipped)"
    )


async def _rebuild(settings: KafkaSettings, batch_size: int, keep_old: bool) -> RebuildReport:
    async with connections.web_database(pool_size=2) as engine:
        run = recorded_run(engine, RunKind.REBUILD, operator_name(), REBUILD_TARGET)
        async with (
            run as recorded,
            kafka_clients(settings) as (admin, consumer),
            connections.person_keys() as keys,
        ):
            partitions = await partitions_of(admin, [spec.name for spec in PROJECTED_TOPICS])
            opener = RecordOpener(keys)
            job = ReadModelRebuild(engine, consumer, WEB_MIGRATIONS, batch_size, opener)
            with render.progress_bar() as bar:
                task = bar.add_task("rebuild", total=None, rate="")

                def advance(progress: RebuildProgress) -> None:
                    rate = f"{progress.rate:,.0f} ev/s"
                    bar.update(task, completed=progress.done, total=progress.total, rate=rate)
                    recorded.advance(progress.done, progress.total)

                report = await job.run(partitions, advance)
            recorded.message = f"{report.skipped} eventos ilegibles omitidos"
        if not keep_old:
            await drop_retired(engine, report.schema)
    return report


async def _audit_failure(
    settings: KafkaSettings, action: str, target: str, exc: BaseException
) -> None:
    """Record a failed operation in ops.audit, if Kafka answers (it may be why it failed)."""
    with contextlib.suppress(Exception):
        async with connections.producer(settings) as producer:
            await record_action(producer, action, target, 0, error=type(exc).__name__)


async def purge(settings: KafkaSettings, before: datetime, apply: bool) -> None:
    async with connections.web_database() as engine:
        report = await purge_data.purge(engine, before, operator_name(), apply)
    if not apply:
        render.console.print(
            f"dry run: {report.raw_responses} raw census responses older than "
            f"{before.isoformat()} would be removed (add --apply to remove them)"
        )
        return
    async with connections.producer(settings) as producer:
        await record_action(
            producer,
            "purge",
            "census_status.raw_response",
            report.raw_responses,
            before=before.isoformat(),
        )
    render.console.print(
        f"removed {report.raw_responses} raw census responses; purge mark now "
        f"{report.mark_before.isoformat() if report.mark_before else '-'}: the projector and "
        "every rebuild leave out older ones. Kafka keeps its records (census.results is kept "
        "forever): sealed ones stay readable only with their person's key, records from "
        "before sealing stay in clear until the topic is rewritten."
    )
