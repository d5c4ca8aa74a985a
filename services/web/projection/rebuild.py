"""Rebuilding the read model next to the live one, then swapping it in atomically.

1. A schema `rebuild_<stamp>` gets fresh read tables from the same migrations as the live ones.
2. Every projected topic is replayed from the beginning into it, up to the end offsets of the
   moment: thousands of records per transaction, through `apply_records` like the live
   projector (set-based statements, see batch.py). While PostgreSQL applies one batch, the next
   one is fetched and decoded. The tables keep only their unique indexes meanwhile; the others
   are built once the replay has reached the targets (deferred_indexes.py), after the tables
   derived from the replayed rows are filled at once (derived_tables.py).
3. Swap: under the read model's exclusive lock (the live projector holds it shared per record),
   if the live positions are ahead of the rebuilt ones, catch up and try again; otherwise the live
   tables move to `retired_<stamp>` and the rebuilt ones into `public`, in one transaction. The
   live projector then resumes on the rebuilt positions and skips what they already contain.
The dashboard keeps serving from the live tables throughout; sessions and other tables stay put.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.structs import ConsumerRecord
from alembic import command
from sqlalchemy import func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from schemas.envelope import EventDecodeError
from services.common.db_faults import is_record_fault
from services.common.migrations import alembic_config
from services.web.adapters.tables import projection_positions
from services.web.projection import deferred_indexes, derived_tables
from services.web.projection.batch import collector_paused
from services.web.projection.opening import RecordOpener
from services.web.projection.projector import SWAP_LOCK, Decoded, apply_records
from services.web.projection.refused_records import apply_one_by_one

WEB_MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
READ_MODEL_TABLES = (
    "users",
    "census_status",
    "census_history",
    "census_capacity",
    "voting_place_members",
    "voting_place_counts",
    "census_changes",
    "cedula_claims",
    "user_history",
    "chart_members",
    "daily_signups",
    "status_counts",
    "lookup_minutes",
    "projection_positions",
)
Offsets = dict[TopicPartition, int]

DEFAULT_BATCH = 10_000  # records per transaction: 1,000 and 20,000 were slower (bench/README.md)


@dataclass
class RebuildProgress:
    total: int
    done: int = 0
    skipped: int = 0  # records that could not be decoded (they are in the dead letters)
    started: float = 0.0

    @property
    def rate(self) -> float:
        return self.done / max(time.monotonic() - self.started, 1e-6)


@dataclass(frozen=True)
class RebuildReport:
    schema: str
    events: int
    skipped: int
    seconds: float


class ReadModelRebuild:
    def __init__(
        self,
        engine: AsyncEngine,
        consumer: AIOKafkaConsumer,
        migrations: Path,
        batch_size: int = DEFAULT_BATCH,
        opener: RecordOpener | None = None,
    ) -> None:
        self._engine = engine
        self._opener = opener or RecordOpener(None)  # None: records in clear only (tests)
        self._consumer = consumer
        self._migrations = migrations
        self._batch_size = batch_size
        self.schema = f"rebuild_{datetime.now(UTC):%Y%m%d%H%M%S}"
        self._deferred_indexes: list[str] = []
        self._derived = False  # the derived tables are filled once the replay reaches the targets

    async def run(
        self, partitions: list[TopicPartition], on_progress: Callable[[RebuildProgress], None]
    ) -> RebuildReport:
        started = time.monotonic()
        try:
            return await self._rebuild(partitions, on_progress, started)
        except BaseException:
            # Failed or stopped (SIGTERM) before the swap: no half-built schema stays behind.
            await asyncio.shield(drop_rebuild_schema(self._engine, self.schema))
            raise

    async def _rebuild(
        self,
        partitions: list[TopicPartition],
        on_progress: Callable[[RebuildProgress], None],
        started: float,
    ) -> RebuildReport:
        await self._create_tables()
        self._consumer.assign(partitions)
        for tp, offset in (await self._consumer.beginning_offsets(partitions)).items():
            self._consumer.seek(tp, offset)
        targets = await self._consumer.end_offsets(partitions)
        progress = RebuildProgress(total=sum(targets.values()), started=started)
        await self._replay_until(targets, progress, on_progress)
        await self._derive_and_index()
        while True:
            behind = await self._swap_or_targets(partitions)
            if behind is None:
                break
            await self._replay_until(behind, progress, on_progress)
        return RebuildReport(
            self.schema, progress.done, progress.skipped, time.monotonic() - started
        )

    async def _create_tables(self) -> None:
        def upgrade(connection: Connection) -> None:
            command.upgrade(alembic_config(self._migrations, connection), "head")

        async with self._engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{self.schema}"'))
            await conn.execute(text(f'SET LOCAL search_path TO "{self.schema}"'))
            await conn.run_sync(upgrade)
            self._deferred_indexes = await deferred_indexes.drop_secondary(
                conn, self.schema, READ_MODEL_TABLES
            )

    async def _derive_and_index(self) -> None:
        """The derived tables from the replayed rows, then the deferred indexes; the catch-up
        after this keeps the derived tables up to date batch by batch, as the live projector."""
        async with self._engine.begin() as conn:
            translated = await conn.execution_options(schema_translate_map={None: self.schema})
            await derived_tables.derive_all(translated)
            self._derived = True
            await deferred_indexes.build(
                conn, self._deferred_indexes, self.schema, READ_MODEL_TABLES
            )

    async def _replay_until(
        self,
        targets: Offsets,
        progress: RebuildProgress,
        on_progress: Callable[[RebuildProgress], None],
    ) -> None:
        # Millions of short-lived records and events: without the cycle collector the replay
        # takes a third less CPU (they are acyclic; what little cyclic garbage the loop makes
        # waits until the replay ends).
        with collector_paused():
            await self._replay_batches(targets, progress, on_progress)

    async def _replay_batches(
        self,
        targets: Offsets,
        progress: RebuildProgress,
        on_progress: Callable[[RebuildProgress], None],
    ) -> None:
        applying: asyncio.Task[None] | None = None
        try:
            while await self._behind(targets):
                decoded, count = await self._fetch(targets, progress)
                if not count:
                    continue
                if applying is not None:
                    await applying
                    on_progress(progress)
                applying = asyncio.create_task(self._apply_batch(decoded, count, progress))
            if applying is not None:
                await applying
                on_progress(progress)
        finally:
            if applying is not None and not applying.done():
                applying.cancel()

    async def _fetch(
        self, targets: Offsets, progress: RebuildProgress
    ) -> tuple[list[Decoded], int]:
        """Up to batch_size records below the targets (fewer when the topics are read), decoded
        as they arrive so that the batch being applied gets its turns in between; and how many
        records were read, the undecodable ones included."""
        decoded: list[Decoded] = []
        count = 0
        while count < self._batch_size and await self._behind(targets):
            batch = await self._consumer.getmany(
                timeout_ms=500, max_records=self._batch_size - count
            )
            for tp, chunk in batch.items():
                records = [r for r in chunk if r.offset < targets[tp]]
                if len(records) < len(chunk):
                    # Fetched past the target (written meanwhile): read again from the target
                    # when catching up with the live tables, or those records would be skipped
                    # and the catch-up would wait for them for ever.
                    self._consumer.seek(tp, targets[tp])
                await self._opener.prepare(records)  # the batch's keys, in one call
                decoded += _decoded(records, progress, self._opener)
                count += len(records)
        return decoded, count

    async def _behind(self, targets: Offsets) -> bool:
        for tp, end in targets.items():
            if await self._consumer.position(tp) < end:
                return True
        return False

    async def _apply_batch(
        self, decoded: list[Decoded], count: int, progress: RebuildProgress
    ) -> None:
        async with self._engine.connect() as conn:
            conn = await conn.execution_options(schema_translate_map={None: self.schema})
            try:
                async with conn.begin():
                    if decoded:
                        await apply_records(conn, decoded, derive=self._derived)
            except DBAPIError as exc:
                if not is_record_fault(exc):
                    raise
                # A record the database refuses (the live projector parked it): this batch
                # again, one record at a time, without it.
                progress.skipped += await apply_one_by_one(conn, decoded, derive=self._derived)
        progress.done += count

    async def _swap_or_targets(self, partitions: list[TopicPartition]) -> Offsets | None:
        """Swap if the rebuilt tables are at or past the live ones; else the offsets to reach."""
        async with self._engine.begin() as conn:
            await conn.execute(select(func.pg_advisory_xact_lock(SWAP_LOCK)))
            live = await _positions(conn, None)
            rebuilt = await _positions(conn, self.schema)
            behind = {tp: off + 1 for tp, off in live.items() if rebuilt.get(tp, -1) < off}
            if behind:
                return {
                    tp: max(behind.get(tp, 0), await self._consumer.position(tp))
                    for tp in partitions
                }
            await _swap(conn, self.schema)
        return None


async def _positions(conn: AsyncConnection, schema: str | None) -> dict[TopicPartition, int]:
    translated = await conn.execution_options(schema_translate_map={None: schema})
    rows = await translated.execute(select(projection_positions))
    return {TopicPartition(row.topic, row.partition): row.offset for row in rows}


async def _swap(conn: AsyncConnection, schema: str) -> None:
    retired = schema.replace("rebuild_", "retired_")
    await conn.execute(text(f'CREATE SCHEMA "{retired}"'))
    for table in READ_MODEL_TABLES:
        await conn.execute(text(f'ALTER TABLE public."{table}" SET SCHEMA "{retired}"'))
        await conn.execute(text(f'ALTER TABLE "{schema}"."{table}" SET SCHEMA public'))
    await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))  # its alembic_version and extras


async def drop_rebuild_schema(engine: AsyncEngine, schema: str) -> None:
    """Drop a rebuild's own schema if it is still there (a swap moves its tables out first)."""
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


async def drop_retired(engine: AsyncEngine, schema: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            text(f'DROP SCHEMA IF EXISTS "{schema.replace("rebuild_", "retired_")}" CASCADE')
        )


def _decoded(
    records: list[ConsumerRecord], progress: RebuildProgress, opener: RecordOpener
) -> list[Decoded]:
    """The records that are events; the others are counted (the live projector parked them)."""
    decoded = []
    for record in records:
        try:
            decoded.append((record, opener.open(record)))
        except EventDecodeError:
            progress.skipped += 1
    return decoded
