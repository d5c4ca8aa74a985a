"""Prometheus metrics of the census worker, on their own registry (no global state), the source
wrapper that counts and times every lookup, and the observer of the turn scheduler."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from services.census_worker.domain.model import (
    CensusSource,
    FirstRequestHook,
    LookupResult,
    TurnWait,
)
from services.census_worker.domain.turns import Lane
from services.common.ops_http import Readiness

DURATION_BUCKETS = (0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120)
TURN_WAIT_BUCKETS = (0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800, 7200)


class WorkerMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.readiness = Readiness(consumers="starting")  # `ok` while the consumers run
        self.lookups = Counter(
            "census_lookups", "Lookups by resulting status.", ["status"], registry=self.registry
        )
        self.duration = Histogram(
            "census_lookup_duration_seconds",
            "Time of one lookup.",
            buckets=DURATION_BUCKETS,
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "census_lookups_in_flight", "Lookups running now.", registry=self.registry
        )
        self.retries = Counter(
            "census_retries", "Records sent to a retry topic.", ["topic"], registry=self.registry
        )
        self.dead_letters = Counter(
            "census_dead_letters",
            "Records sent to the dead letters.",
            ["kind"],
            registry=self.registry,
        )
        self.fresh_answers = Counter(
            "census_fresh_answers",
            "Requests answered from a fresh earlier answer, without a lookup.",
            registry=self.registry,
        )

        self.turns = Counter(
            "census_host_turns", "Turns used at each census host.", ["host"], registry=self.registry
        )
        self.turn_wait = Histogram(
            "census_turn_wait_seconds",
            "Wait for a turn at a census host, by lane.",
            ["lane"],
            buckets=TURN_WAIT_BUCKETS,
            registry=self.registry,
        )
        self.cooldowns = Counter(
            "census_host_cooldowns", "BLOCKED cooldowns started.", ["host"], registry=self.registry
        )
        self.circuits_opened = Counter(
            "census_host_circuits_opened",
            "Circuits opened by unclassifiable answers in a row.",
            ["host"],
            registry=self.registry,
        )
        self.takeovers = Counter(
            "census_turn_takeovers",
            "Turns taken over after a holder's lease ran out.",
            ["host"],
            registry=self.registry,
        )

    def watch(self, browser_launches: Callable[[], int], tokens_ready: Callable[[], int]) -> None:
        """Read the browser's launches and the captcha pool's size at scrape time."""
        self.registry.register(_Readings(browser_launches, tokens_ready))


class _Readings(Collector):
    def __init__(self, launches: Callable[[], int], tokens: Callable[[], int]) -> None:
        self._launches, self._tokens = launches, tokens

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        # Launches after the first one are restarts (crash, disconnect, recycling).
        yield CounterMetricFamily(
            "census_browser_restarts", "Chromium relaunches.", value=max(self._launches() - 1, 0)
        )
        yield GaugeMetricFamily(
            "census_captcha_pool_tokens", "Solved captcha tokens ready.", value=self._tokens()
        )


class MeteredSource:
    """Counts and times every lookup of the wrapped source."""

    def __init__(self, source: CensusSource, metrics: WorkerMetrics) -> None:
        self._source = source
        self._metrics = metrics
        self.name = source.name

    async def lookup(
        self,
        cedula: str,
        on_first_request: FirstRequestHook | None = None,
        until_turn: TurnWait | None = None,
    ) -> LookupResult:
        started = time.monotonic()

        async def timed_from_the_turn() -> None:  # the wait for the turn is not the lookup's
            nonlocal started
            if until_turn is not None:
                await until_turn()
            started = time.monotonic()

        with self._metrics.in_flight.track_inprogress():
            result = await self._source.lookup(cedula, on_first_request, timed_from_the_turn)
        self._metrics.duration.observe(time.monotonic() - started)
        self._metrics.lookups.labels(status=result.status.value).inc()
        return result


class TurnMetrics:
    """The turn scheduler's observer: what it reports, counted on the worker's metrics."""

    def __init__(self, metrics: WorkerMetrics) -> None:
        self._metrics = metrics

    def waited(self, lane: Lane, seconds: float) -> None:
        self._metrics.turn_wait.labels(lane=lane.name).observe(seconds)

    def took_over(self, host: str) -> None:
        self._metrics.takeovers.labels(host=host).inc()

    def used(self, host: str) -> None:
        self._metrics.turns.labels(host=host).inc()

    def cooled_down(self, host: str, seconds: float) -> None:
        self._metrics.cooldowns.labels(host=host).inc()

    def circuit_opened(self, host: str) -> None:
        self._metrics.circuits_opened.labels(host=host).inc()
