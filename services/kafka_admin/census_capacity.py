"""What the census hosts' capacity report and the census worker's lag say together: the lookups
waiting per lane, each host's use of its budget, and how long the backlog would take. Pure
functions: the web's Operación page and `censo ops status` word them, each in its language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Protocol

from schemas import topics
from schemas.events import CensusCapacityReportedData, CensusHostState

# A worker reports every ~5 s: a report older than this means no worker is reporting.
STALE_AFTER = timedelta(seconds=60)


class ConsumerLag(Protocol):
    """One consumer group's lag on one topic (or one of its partitions)."""

    @property
    def group(self) -> str: ...

    @property
    def topic(self) -> str: ...

    @property
    def lag(self) -> int: ...


@dataclass(frozen=True)
class Lane:
    name: str  # interactive, bulk, retries
    group: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class LaneBacklog:
    lane: Lane
    waiting: int | None  # None: the group has committed nothing on the lane's topics yet


class NoEstimate(Enum):
    """Why there is no ETA for the backlog."""

    NO_REPORT = "no capacity report"
    STALE = "the workers stopped reporting"
    ALL_CIRCUITS_OPEN = "every host's circuit is open"
    NO_INTERVAL = "no minimum interval between lookups"
    NO_LAG = "the lag is unknown"


def lanes(worker_group: str) -> tuple[Lane, ...]:
    """The census worker's lanes and the group consuming each. The retry topics have a consumer
    group of their own, the worker's group id with `-retry` (census_worker/bootstrap.py)."""
    return (
        Lane("interactive", worker_group, (topics.ACCOUNTS.name, topics.VALIDATION_REQUESTS.name)),
        Lane("bulk", worker_group, (topics.BULK_VALIDATION_REQUESTS.name,)),
        Lane(
            "retries", f"{worker_group}-retry", tuple(spec.name for spec in topics.WORKER_RETRIES)
        ),
    )


def lane_backlogs(worker_group: str, lags: Iterable[ConsumerLag]) -> list[LaneBacklog]:
    """The lookups waiting in each lane: its group's lag summed over the lane's topics."""
    seen = list(lags)
    backlogs = []
    for lane in lanes(worker_group):
        mine = [lag.lag for lag in seen if lag.group == lane.group and lag.topic in lane.topics]
        backlogs.append(LaneBacklog(lane, sum(mine) if mine else None))
    return backlogs


def waiting_total(backlogs: Iterable[LaneBacklog]) -> int:
    return sum(backlog.waiting or 0 for backlog in backlogs)


def turns_per_minute(interval_s: float) -> float | None:
    """The turns one host's budget allows per minute; None without an interval (no limit)."""
    return 60 / interval_s if interval_s > 0 else None


def budget_used(host: CensusHostState, interval_s: float) -> float | None:
    """The share of the host's budget used in the last minute (1.0 = every turn)."""
    allowed = turns_per_minute(interval_s)
    return host.turns_last_minute / allowed if allowed else None


def circuit_open(host: CensusHostState) -> bool:
    return host.circuit_open_since is not None


def cooling_down(host: CensusHostState, now: datetime) -> bool:
    return host.cooldown_until is not None and host.cooldown_until > now


def is_stale(report: CensusCapacityReportedData, now: datetime) -> bool:
    return now - report.reported_at > STALE_AFTER


def lookups_per_second(report: CensusCapacityReportedData) -> float | None:
    """What the hosts whose circuit is closed can look up per second; None without interval."""
    if report.interval_s <= 0:
        return None
    return sum(1 for host in report.hosts if not circuit_open(host)) / report.interval_s


def backlog_eta(
    report: CensusCapacityReportedData | None, waiting: int | None, now: datetime
) -> float | NoEstimate:
    """Seconds until the lookups waiting now are done at full budget, or why it cannot be said."""
    if report is None:
        return NoEstimate.NO_REPORT
    if is_stale(report, now):
        return NoEstimate.STALE
    if waiting is None:
        return NoEstimate.NO_LAG
    if waiting == 0:
        return 0.0
    rate = lookups_per_second(report)
    if rate is None:
        return NoEstimate.NO_INTERVAL
    if rate == 0:
        return NoEstimate.ALL_CIRCUITS_OPEN
    return waiting / rate
