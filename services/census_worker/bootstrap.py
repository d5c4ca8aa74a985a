"""Composition root of the census worker: builds its collaborators from settings at start-up.

`open_sources_with_metrics` brings the lookup up (Chromium, captcha, token pool, one source per
host in rotation) with its metrics and their endpoint; `wire_worker` puts the use case between
those sources, their shared politeness budget, the answers kept in the worker database and Kafka.
Nothing is built at import.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer
from faststream.kafka import KafkaBroker

from schemas import topics
from services.census_worker.adapters.captcha_metrics import CaptchaSpendReadings
from services.census_worker.adapters.coalescing import CoalescingSource
from services.census_worker.adapters.host_budget import BudgetRules, HostBudget
from services.census_worker.adapters.metrics import MeteredSource, TurnMetrics, WorkerMetrics
from services.census_worker.domain.model import CensusSource
from services.census_worker.domain.retries import RetryPolicy
from services.census_worker.domain.turns import Lane
from services.census_worker.entrypoints.metrics_http import serving_metrics
from services.census_worker.entrypoints.records import RecordHandler
from services.census_worker.entrypoints.retry_consumer import RetryConsumer
from services.census_worker.entrypoints.subscribers import INPUT_LANES, register_subscribers
from services.census_worker.lookup.captcha.account import watching_balance
from services.census_worker.lookup.factory import LookupStack, open_lookup_stack
from services.census_worker.service_layer.budgeted_census import BudgetedCensus
from services.census_worker.service_layer.fresh_answers import AnswerStore, FreshAnswers
from services.census_worker.service_layer.turn_scheduler import TurnScheduler
from services.census_worker.service_layer.turn_store import TurnStore
from services.census_worker.service_layer.validation import ValidationService
from services.census_worker.settings import LookupSettings, WorkerSettings
from services.common.db import make_engine
from services.common.kafka import kafka_broker, kafka_consumer
from services.common.kafka_publisher import RecordPublisher
from services.common.log_context import EnvelopeLogContext
from services.common.logging import faststream_logger
from services.common.settings import KafkaSettings

OpenStack = Callable[[LookupSettings], contextlib.AbstractAsyncContextManager[LookupStack]]


@dataclass(frozen=True)
class Worker:
    """The wired worker: its broker (subscribers registered), the consumer of retry topics, and
    the scheduler of turns at the census hosts (woken by `TurnListener`)."""

    broker: KafkaBroker
    retries: RetryConsumer
    scheduler: TurnScheduler


def wire_worker(
    sources: Sequence[CensusSource],
    settings: WorkerSettings,
    kafka: KafkaSettings,
    metrics: WorkerMetrics,
    store: TurnStore,
    answers: AnswerStore,
) -> Worker:
    """The use case around `sources` (one per host, preferred first), their budget in `store`
    and the answers kept in `answers`, fed by the input topics (each in its lane, `INPUT_LANES`)
    and the retry topics (BULK), publishing on Kafka."""
    broker = make_broker(kafka, settings.graceful_timeout_s)
    publisher = RecordPublisher(broker, settings.group_id)
    scheduler = turn_scheduler(sources, settings, metrics, store)
    census = CoalescingSource(BudgetedCensus(scheduler, sources[0].name))
    policy = RetryPolicy(settings.retry_delays_s, settings.max_attempts)
    fresh = FreshAnswers(answers, settings.fresh_for)
    service = ValidationService(census, publisher, policy, fresh)
    dlt = topics.WORKER_DLT.name
    lanes = {lane: RecordHandler(service, publisher, dlt, metrics, lane) for lane in Lane}
    handlers = {topic: lanes[lane] for topic, lane in INPUT_LANES.items()}
    register_subscribers(broker, handlers, settings.group_id, settings.partitions_in_parallel)
    retry_topics = [spec.name for spec in topics.WORKER_RETRIES]
    retry_handler = lanes[Lane.BULK]
    retries = RetryConsumer(lambda: retry_consumer(kafka, settings), retry_topics, retry_handler)
    return Worker(broker, retries, scheduler)


def retry_consumer(kafka: KafkaSettings, settings: WorkerSettings) -> AIOKafkaConsumer:
    """The retry topics' own consumer (own group): it pauses partitions whose head is not due."""
    return kafka_consumer(
        kafka,
        "census-worker-retry",
        group_id=f"{settings.group_id}-retry",
        auto_offset_reset="earliest",
    )


def make_broker(kafka: KafkaSettings, graceful_timeout_s: float) -> KafkaBroker:
    return kafka_broker(
        kafka,
        "census-worker",
        graceful_timeout=graceful_timeout_s,
        logger=faststream_logger(),
        middlewares=(EnvelopeLogContext,),
    )


def turn_scheduler(
    sources: Sequence[CensusSource],
    settings: WorkerSettings,
    metrics: WorkerMetrics,
    store: TurnStore,
) -> TurnScheduler:
    """Coalescing stays outside the budget (a shared answer never waits for a turn);
    metering is innermost, so it times the lookup itself and not the wait for a turn."""
    metered = {source.name: MeteredSource(source, metrics) for source in sources}
    # A first request needs a moment after the turn comes; never start one this close to the end.
    margin_s = min(settings.turn_lease_s / 3, 5.0)
    # Turns are booked about an interval ahead, so a bulk-only process can wait a tenth of it.
    bulk_yield_s = min(settings.min_interval_s / 10, 0.25)
    return TurnScheduler(
        store,
        metered,
        settings.min_interval_s,
        margin_s,
        TurnMetrics(metrics),
        bulk_yield_s=bulk_yield_s,
    )


def host_budget(settings: WorkerSettings) -> HostBudget:
    """The budget in the worker database (the engine connects lazily, on first use)."""
    rules = BudgetRules(
        interval_s=settings.min_interval_s,
        guard_s=settings.turn_guard_s,
        lease_s=settings.turn_lease_s,
        cooldown_base_s=settings.blocked_cooldown_s,
        cooldown_max_s=settings.blocked_cooldown_max_s,
    )
    return HostBudget(make_engine(settings.database_url, pool_size=4), worker_id(), rules)


def worker_id() -> str:
    """Names this process's bookings in the budget (operators read it in `census_hosts`)."""
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(2)}"


@contextlib.asynccontextmanager
async def open_sources_with_metrics(
    lookup: LookupSettings,
    settings: WorkerSettings,
    metrics: WorkerMetrics,
    open_stack: OpenStack = open_lookup_stack,
) -> AsyncIterator[tuple[CensusSource, ...]]:
    """The configured census sources, their browser, token pool and captcha spend watched by
    `metrics`, which are served on `settings.metrics_port` while they are open. A captcha
    account that cannot pay raises `CaptchaAccountRefused` before anything else starts."""
    async with open_stack(lookup) as stack, contextlib.AsyncExitStack() as account:
        if stack.balance is not None:
            await account.enter_async_context(watching_balance(stack.balance))
        watch_lookup_stack(metrics, stack)
        with serving_metrics(metrics, settings.metrics_host, settings.metrics_port):
            yield stack.sources


def watch_lookup_stack(metrics: WorkerMetrics, stack: LookupStack) -> None:
    pools = stack.token_pools
    metrics.watch(lambda: stack.browser.launches, lambda: sum(pool.ready for pool in pools))
    metrics.registry.register(CaptchaSpendReadings(stack.spend))
