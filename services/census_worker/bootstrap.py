"""Composition root of the census worker: builds its collaborators from settings at start-up.

`open_sources_with_metrics` brings the lookup up (Chromium, captcha, token pool, one source per
host in rotation) with its metrics and their endpoint; `wire_worker` puts the use case between
those sources, their shared politeness budget and circuits, the answers kept in the worker database
and Kafka, with the operators' commands and the capacity report. Nothing is built at import.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass

import httpx
from aiokafka import AIOKafkaConsumer
from faststream.kafka import KafkaBroker

from schemas import topics
from services.census_worker.adapters.answer_store import PostgresAnswers
from services.census_worker.adapters.capacity_store import PostgresCapacity
from services.census_worker.adapters.captcha_metrics import CaptchaSpendReadings
from services.census_worker.adapters.coalescing import CoalescingSource
from services.census_worker.adapters.host_budget import BudgetRules, HostBudget
from services.census_worker.adapters.host_circuit import HostCircuits
from services.census_worker.adapters.metrics import MeteredSource, TurnMetrics, WorkerMetrics
from services.census_worker.adapters.sealed_requests import SealedRequests
from services.census_worker.domain.model import CensusSource
from services.census_worker.domain.retries import RetryPolicy
from services.census_worker.domain.turns import Lane
from services.census_worker.entrypoints.control import ControlHandler, register_control
from services.census_worker.entrypoints.metrics_http import serving_metrics
from services.census_worker.entrypoints.records import RecordHandler
from services.census_worker.entrypoints.retry_consumer import RetryConsumer
from services.census_worker.entrypoints.subscribers import INPUT_LANES, register_subscribers
from services.census_worker.lookup.captcha.account import watching_balance
from services.census_worker.lookup.captcha.spend import SOLVED, CaptchaSpend
from services.census_worker.lookup.factory import LookupStack, open_lookup_stack
from services.census_worker.lookup.settings import LookupSettings
from services.census_worker.service_layer.budgeted_census import BudgetedCensus
from services.census_worker.service_layer.capacity_report import (
    CapacityReporter,
    CapacityStore,
    CaptchaAccount,
    CaptchaUsage,
)
from services.census_worker.service_layer.fresh_answers import AnswerStore, FreshAnswers
from services.census_worker.service_layer.open_circuits import OpenCircuits, PausedWhileOpen
from services.census_worker.service_layer.resume import CircuitStore, ResumeHost
from services.census_worker.service_layer.turn_scheduler import TurnScheduler
from services.census_worker.service_layer.turn_store import TurnStore
from services.census_worker.service_layer.validation import ValidationService
from services.census_worker.settings import WorkerSettings
from services.common.db import make_engine
from services.common.kafka import kafka_broker, kafka_consumer
from services.common.kafka_publisher import RecordPublisher
from services.common.log_context import EnvelopeLogContext
from services.common.logging import faststream_logger
from services.common.person_keys import PersonKeyring
from services.common.settings import KafkaSettings

OpenStack = Callable[[LookupSettings], contextlib.AbstractAsyncContextManager[LookupStack]]


@dataclass(frozen=True)
class Worker:
    """The wired worker: its broker (subscribers registered), the consumer of retry topics, the
    scheduler of turns at the census hosts (woken by `TurnListener`), the capacity reporter."""

    broker: KafkaBroker
    retries: RetryConsumer
    scheduler: TurnScheduler
    reporter: CapacityReporter


@dataclass(frozen=True)
class WorkerStores:
    """What the worker keeps in its database: PostgreSQL in `worker_stores`, fakes in tests."""

    turns: TurnStore
    answers: AnswerStore
    circuits: CircuitStore
    capacity: CapacityStore


def wire_worker(
    sources: Sequence[CensusSource],
    settings: WorkerSettings,
    kafka: KafkaSettings,
    metrics: WorkerMetrics,
    stores: WorkerStores,
    captcha: CaptchaAccount | None = None,
    circuits: OpenCircuits | None = None,
    keys: PersonKeyring | None = None,
) -> Worker:
    """The use case around `sources` (one per host, preferred first), their budget and the
    answers kept in `stores`, fed by the input topics (each in its lane, `INPUT_LANES`) and the
    retry topics (BULK), publishing on Kafka; resume commands from census.control; the capacity
    report (`captcha`: this process's ledger, None without a captcha key); `keys`: the people's
    keys, which open sealed requests and seal their answers."""
    broker = make_broker(kafka, settings.graceful_timeout_s)
    publisher = RecordPublisher(broker, settings.group_id)
    circuits = circuits or OpenCircuits()
    scheduler = turn_scheduler(sources, settings, metrics, stores.turns, circuits)
    resume = ResumeHost(stores.circuits, circuits, scheduler.wake)
    register_control(broker, ControlHandler(resume, publisher, metrics), settings.group_id)
    reporter = CapacityReporter(
        stores.capacity,
        publisher,
        settings.report_interval_s,
        settings.min_interval_s,
        circuits,
        captcha,
    )
    census = CoalescingSource(BudgetedCensus(scheduler, sources[0].name))
    policy = RetryPolicy(settings.retry_delays_s, settings.max_attempts)
    fresh = FreshAnswers(stores.answers, settings.fresh_for)
    sealed = SealedRequests(keys, publisher)
    service = ValidationService(census, sealed, policy, fresh)
    dlt = topics.WORKER_DLT.name
    lanes = {
        lane: RecordHandler(service, publisher, dlt, metrics, lane, sealed=sealed) for lane in Lane
    }
    handlers = {topic: lanes[lane] for topic, lane in INPUT_LANES.items()}
    register_subscribers(
        broker,
        handlers,
        settings.group_id,
        settings.partitions_in_parallel,
        settings.unread_lookback_s,
    )
    retry_topics = [spec.name for spec in topics.WORKER_RETRIES]
    retry_handler = lanes[Lane.BULK]
    retries = RetryConsumer(
        lambda: retry_consumer(kafka, settings),
        retry_topics,
        retry_handler,
        longest_wait_s=max(settings.retry_delays_s, default=0.0),
    )
    return Worker(broker, retries, scheduler, reporter)


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
    circuits: OpenCircuits,
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
        circuits=circuits,
    )


def host_budget(settings: WorkerSettings) -> HostBudget:
    """The budget in the worker database (the engine connects lazily, on first use)."""
    rules = BudgetRules(
        interval_s=settings.min_interval_s,
        guard_s=settings.turn_guard_s,
        lease_s=settings.turn_lease_s,
        cooldown_base_s=settings.blocked_cooldown_s,
        cooldown_max_s=settings.blocked_cooldown_max_s,
        circuit_threshold=settings.circuit_threshold,
    )
    return HostBudget(make_engine(settings.database_url, pool_size=4), worker_id(), rules)


def worker_stores(budget: HostBudget) -> WorkerStores:
    """Every store on the budget's engine: one worker database, one connection pool."""
    return WorkerStores(
        turns=budget,
        answers=PostgresAnswers(budget.engine),
        circuits=HostCircuits(budget.engine),
        capacity=PostgresCapacity(budget.engine, budget.worker),
    )


def worker_id() -> str:
    """Names this process's bookings in the budget (operators read it in `census_hosts`)."""
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(2)}"


@dataclass(frozen=True)
class OpenLookup:
    """The census sources (one per host, preferred first) and, with a captcha key, the ledger
    of this process's captcha spend for the capacity report."""

    sources: tuple[CensusSource, ...]
    captcha: CaptchaAccount | None


@contextlib.asynccontextmanager
async def open_sources_with_metrics(
    lookup: LookupSettings,
    settings: WorkerSettings,
    metrics: WorkerMetrics,
    open_stack: OpenStack = open_lookup_stack,
    circuits: OpenCircuits | None = None,
) -> AsyncIterator[OpenLookup]:
    """The configured census sources, their browser, token pool and captcha spend watched by
    `metrics`, which are served on `settings.metrics_port` while they are open. A captcha
    account that cannot pay raises `CaptchaAccountRefused` before anything else starts. A host
    in `circuits` (open) gets no token solved ahead."""
    async with open_stack(lookup) as stack, contextlib.AsyncExitStack() as account:
        if stack.balance is not None:
            await account.enter_async_context(watching_balance(stack.balance))
        watch_lookup_stack(metrics, stack)
        if circuits is not None:
            pause_while_open(stack, circuits)
        with serving_metrics(metrics, settings.metrics_host, settings.metrics_port):
            yield OpenLookup(stack.sources, captcha_account(lookup, stack.spend))


def watch_lookup_stack(metrics: WorkerMetrics, stack: LookupStack) -> None:
    pools = stack.token_pools
    metrics.watch(lambda: stack.browser.launches, lambda: sum(pool.ready for pool in pools))
    metrics.registry.register(CaptchaSpendReadings(stack.spend))


def pause_while_open(stack: LookupStack, circuits: OpenCircuits) -> None:
    """Each host's token pool (one per source, same order) solves nothing while it is paused."""
    for source, pool in zip(stack.sources, stack.token_pools, strict=False):
        pool.demand = PausedWhileOpen(pool.demand, source.name, circuits)


def captcha_account(lookup: LookupSettings, spend: CaptchaSpend) -> CaptchaAccount | None:
    if not lookup.captcha_api_key.get_secret_value():
        return None

    def read() -> CaptchaUsage:
        return CaptchaUsage(
            spend.solves[SOLVED], spend.expired, spend.balance, spend.balance_checked_at
        )

    return CaptchaAccount(read, lookup.captcha_price_per_1000, lookup.captcha_low_balance)


def registration_http(settings: WorkerSettings) -> httpx.AsyncClient | None:
    """The registration API the people's keys come from; None without a service token."""
    token = settings.registration_service_token.get_secret_value()
    if not token:
        return None
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.AsyncClient(base_url=settings.registration_url, headers=headers, timeout=10.0)
