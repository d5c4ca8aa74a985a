"""What the end-to-end benchmark watches while registrations flow, each timestamped on arrival
with `time.time()` (every process runs on this machine, so one clock serves them all):

- Kafka: the records on accounts.events and census.results (record timestamps, and the events'
  own `occurred_at`), read by a consumer of no group;
- the web read model: `LISTEN read_model_changes` on the web database (a NOTIFY is delivered at
  commit, so its arrival is when the row became visible);
- the browser: the leader's /eventos stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from uuid import UUID

import asyncpg
from aiokafka import AIOKafkaConsumer

from schemas.events import (
    EVENT_TYPES,
    CedulaValidated,
    UserRegistered,
    ValidationFailed,
    ValidationStarted,
)
from schemas.sealing import open_event
from schemas.topics import ACCOUNTS, CENSUS_RESULTS
from services.common.db import asyncpg_dsn
from services.web.projection.projector import CHANGES_CHANNEL

VALIDATED = CedulaValidated.type_name


@dataclass
class Trace:
    """One registration's way through the system (seconds since the epoch)."""

    returned_at: float | None = None  # the registration request returned to its client
    registered_record: float | None = None  # UserRegistered's Kafka record timestamp
    started: float | None = None  # ValidationStarted.occurred_at
    validated: float | None = None  # CedulaValidated.occurred_at
    fetched: float | None = None  # CedulaValidated.fetched_at (the answer page was read)
    validated_record: float | None = None  # CedulaValidated's Kafka record timestamp
    projected: float | None = None  # NOTIFY of the CedulaValidated projection arrived
    pushed: float | None = None  # the SSE event of that projection reached the browser
    failed: int = 0  # ValidationFailed events (a lookup that will be retried, or gave up)

    @property
    def reached(self) -> str:
        """The last stage this registration reached (for the ones never answered)."""
        stages = ("registered_record", "started", "validated", "projected", "pushed")
        done = [stage for stage in stages if getattr(self, stage) is not None]
        return done[-1] if done else "returned"


@dataclass
class Observer:
    # Every user seen anywhere; only those registered by the benchmark (`returned_at`) count.
    traces: dict[UUID, Trace] = field(default_factory=lambda: defaultdict(Trace))
    # Per user, in arrival order: the browser's change-<id> events.
    sse: dict[UUID, list[float]] = field(default_factory=lambda: defaultdict(list))

    def on_record(self, record) -> None:  # type: ignore[no-untyped-def]
        # Read as a reader without keys would: the timings and ids are in clear, the personal
        # fields of a sealed record (which the benchmark needs none of) come out erased.
        event, _ = open_event(record.value, EVENT_TYPES, _no_keys)
        trace = self.traces[event.data.user_id]  # type: ignore[attr-defined]
        at = record.timestamp / 1000
        if isinstance(event, UserRegistered):
            trace.registered_record = at
        elif isinstance(event, ValidationStarted):
            trace.started = event.occurred_at.timestamp()
        elif isinstance(event, CedulaValidated):
            trace.validated = event.occurred_at.timestamp()
            trace.fetched = event.data.fetched_at.timestamp()
            trace.validated_record = at
            self._match(event.data.user_id)
        elif isinstance(event, ValidationFailed):
            trace.failed += 1

    def on_notify(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        at = time.time()
        body = json.loads(payload)
        if body["type"] == VALIDATED:
            self.traces[UUID(body["user_id"])].projected = at

    def on_sse(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.name.startswith("change-"):
            user_id = UUID(event.data)
            self.sse[user_id].append(event.received_at)
            self._match(user_id)

    def _match(self, user_id: UUID) -> None:
        """The answer's event is the user's first change event after the worker published the
        answer (earlier ones are of the registration and ValidationStarted). Counting events
        would not do: census news projected before the registration reaches no leader, since the
        web cannot know the referrer yet."""
        trace = self.traces[user_id]
        if trace.pushed is not None or trace.validated is None:
            return
        trace.pushed = next((t for t in self.sse[user_id] if t >= trace.validated), None)

    def registered(self, user_id: UUID, returned_at: float) -> Trace:
        trace = self.traces[user_id]
        trace.returned_at = returned_at
        return trace


async def consume(observer: Observer, bootstrap: str, stop: asyncio.Event) -> None:
    consumer = AIOKafkaConsumer(
        ACCOUNTS.name,
        CENSUS_RESULTS.name,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        while not stop.is_set():
            batches = await consumer.getmany(timeout_ms=200)
            for records in batches.values():
                for record in records:
                    observer.on_record(record)
    finally:
        await consumer.stop()


def _no_keys(_user_id: UUID) -> None:
    return None


@contextlib.asynccontextmanager
async def listening(observer: Observer, web_database_url: str):  # type: ignore[no-untyped-def]
    conn = await asyncpg.connect(asyncpg_dsn(web_database_url))
    try:
        await conn.add_listener(CHANGES_CHANNEL, observer.on_notify)
        yield
    finally:
        await conn.close()
