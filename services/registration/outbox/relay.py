"""The outbox relay: claims unsent rows, publishes them, marks them sent; waits on NOTIFY or a poll.

Kafka down: rows stay unsent and the relay retries with exponential backoff; nothing is skipped
because unsent rows are selected by state, never by "the last id sent". Delivery is at least once:
a crash between Kafka's acknowledgement and the commit re-sends a row, and consumers deduplicate on
the event id (header `ce_id` and body `event_id`).
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import asyncpg
import structlog
from aiokafka.errors import KafkaError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.envelope import utcnow
from services.registration.adapters import outbox_store
from services.registration.outbox.lease import RELAY_LOCK_ID, RelayLease
from services.registration.outbox.metrics import RelayMetrics
from services.registration.outbox.publisher import KafkaPublisher
from services.registration.outbox.timing import Backoff, wait_any
from services.registration.settings import RegistrationSettings

log = structlog.get_logger(__name__)
CLEANUP_EVERY_S = 600.0


class PublishFailed(RuntimeError):
    """Kafka did not acknowledge part of a batch; the unacknowledged rows stay unsent."""


class LeaseLost(RuntimeError):
    """The publishing lock is no longer this relay's: another relay may be leading."""


class OutboxRelay:
    def __init__(
        self,
        settings: RegistrationSettings,
        engine: AsyncEngine,
        publisher: KafkaPublisher,
        metrics: RelayMetrics | None = None,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.wakeup = asyncio.Event()
        self.publisher = publisher
        self.published = 0
        self.metrics = metrics or RelayMetrics()
        self._backoff = Backoff(settings.outbox_retry_initial_s, settings.outbox_retry_max_s)
        self._last_cleanup = 0.0

    async def run(self, stop: asyncio.Event) -> None:
        """Lead (or stand by) and publish until `stop` is set; rides out database/Kafka outages."""
        try:
            while not stop.is_set():
                lease = RelayLease(self.settings.database_url, self.wakeup)
                try:
                    standby = self.settings.outbox_standby_poll_s
                    if await lease.take(stop, standby, lambda: self.metrics.lock_tried(False)):
                        self.metrics.lock_tried(leading=True)
                        await self._publish_while_leading(lease, stop)
                except (OSError, SQLAlchemyError, asyncpg.PostgresError) as exc:
                    self.metrics.database_failed(exc)
                    log.warning("outbox.relay_database_error", error=repr(exc))
                    await wait_any(stop, timeout_s=self._backoff.next_delay())
                finally:
                    await lease.release()
        finally:
            await self.publisher.close()

    async def _publish_while_leading(self, lease: RelayLease, stop: asyncio.Event) -> None:
        while not stop.is_set() and lease.held:
            self.wakeup.clear()
            try:
                sent = await self.publish_batch(lease.server_pid)
            except LeaseLost:
                log.warning("outbox.relay_lease_lost", hint="another relay may lead now")
                return
            except (KafkaError, OSError, PublishFailed) as exc:
                self.metrics.kafka_failed(exc)
                delay = self._backoff.next_delay()
                log.warning(
                    "outbox.publish_failed",
                    error=repr(exc),
                    attempt=self._backoff.attempt,
                    retry_in_s=delay,
                )
                await wait_any(stop, timeout_s=delay)
                continue
            self._backoff.reset()
            if sent < self.settings.outbox_batch_size:
                await self._cleanup_if_due()
                await wait_any(stop, self.wakeup, timeout_s=self.settings.outbox_poll_interval_s)

    async def publish_batch(self, lease_pid: int | None = None) -> int:
        """Publish up to one batch of unsent rows; returns how many Kafka acknowledged.

        `lease_pid`: the fence. With the rows claimed (and locked), the lease must still be held,
        else nothing is published (LeaseLost): a relay that took over waits for these row locks,
        so it cannot publish later rows of a key before these are settled."""
        async with self.engine.begin() as conn:
            records = await outbox_store.claim_unsent(conn, self.settings.outbox_batch_size)
            if not records:
                return 0
            if lease_pid is not None and not await outbox_store.still_leading(
                conn, RELAY_LOCK_ID, lease_pid
            ):
                raise LeaseLost()
            delivered, error = await self.publisher.publish(records)
            await outbox_store.mark_sent(conn, delivered)
        self.published += len(delivered)
        self.metrics.batch_published(len(delivered))
        if error is not None:
            raise PublishFailed(
                f"{len(records) - len(delivered)} of {len(records)} rows unsent"
            ) from error
        log.debug("outbox.published", rows=len(delivered), first_id=records[0].id)
        return len(delivered)

    async def _cleanup_if_due(self) -> None:
        if time.monotonic() - self._last_cleanup < CLEANUP_EVERY_S:
            return
        self._last_cleanup = time.monotonic()
        cutoff = utcnow() - timedelta(days=self.settings.outbox_keep_sent_days)
        async with self.engine.begin() as conn:
            deleted = await outbox_store.delete_sent_before(conn, cutoff)
        if deleted:
            log.info("outbox.sent_rows_deleted", rows=deleted)
