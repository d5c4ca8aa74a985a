"""Every Kafka topic of the system, declared once: name, partitions, retention and what keys it.

Services create these at start-up (idempotently) from this list; nothing else names a topic.
"""

from __future__ import annotations

from dataclasses import dataclass

DAY_MS = 24 * 60 * 60 * 1000
FOREVER = -1


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    retention_ms: int
    key: str
    purpose: str
    # "delete": records go when older than retention_ms. No topic is compacted today.
    cleanup_policy: str = "delete"


# The account history is the source of every read-model rebuild: it is never deleted.
ACCOUNTS = TopicSpec("accounts.events", 6, FOREVER, "user id", "account events from registration")
# Two lanes of validation requests: a partition is worked in order, so a sign-up or a person's own
# refresh queued behind thousands of bulk re-checks in one partition would wait for all of them.
VALIDATION_REQUESTS = TopicSpec(
    "census.requests",
    16,
    7 * DAY_MS,
    "cédula",
    "ValidationRequested that a person is waiting for: a refresh of one cédula",
)
BULK_VALIDATION_REQUESTS = TopicSpec(
    "census.requests.bulk",
    16,
    7 * DAY_MS,
    "cédula",
    "ValidationRequested in bulk (a leader's «Actualizar todos», `censo ops revalidate`) and "
    "redriven dead letters: looked up with the turns the sign-ups and refreshes leave",
)
CENSUS_RESULTS = TopicSpec(
    "census.results", 16, FOREVER, "cédula", "ValidationStarted, CedulaValidated, ValidationFailed"
)

# Non-blocking retries of the census worker: one topic per attempt level, each record carrying
# its due time in a header, then the dead-letter topic.
WORKER_RETRY_LEVELS = 3
WORKER_RETRIES = tuple(
    TopicSpec(
        f"census.worker.retry-{level}", 4, 7 * DAY_MS, "cédula", f"census retry level {level}"
    )
    for level in range(1, WORKER_RETRY_LEVELS + 1)
)
WORKER_DLT = TopicSpec(
    "census.worker.dlt", 1, 30 * DAY_MS, "cédula", "requests the census worker gave up on"
)
WEB_DLT = TopicSpec(
    "web.projector.dlt", 1, 30 * DAY_MS, "as consumed", "events the web projector rejected"
)

# The census hosts' shared budget as the workers see it (turns, cooldowns, open circuits) and the
# captcha account's spend, reported every few seconds; the web projects the latest report and
# `censo ops status` reads it. Only the newest report matters: kept a day.
CENSUS_STATUS = TopicSpec(
    "census.status",
    1,
    DAY_MS,
    '"capacity"',
    "CensusCapacityReported: each census host's budget, circuit and the captcha spend",
)
# Operators' commands to the census workers (resume a host whose circuit is open); any worker of
# the group carries one out on the shared worker database.
CENSUS_CONTROL = TopicSpec(
    "census.control", 1, 7 * DAY_MS, "host", "CensusHostResumeRequested from Operación or censo ops"
)

# What operators did to the event flow (redrives, revalidations, offset resets): kept forever.
OPS_AUDIT = TopicSpec("ops.audit", 1, FOREVER, "action", "operator actions, for the record")

ALL_TOPICS: tuple[TopicSpec, ...] = (
    ACCOUNTS,
    VALIDATION_REQUESTS,
    BULK_VALIDATION_REQUESTS,
    CENSUS_RESULTS,
    *WORKER_RETRIES,
    WORKER_DLT,
    WEB_DLT,
    CENSUS_STATUS,
    CENSUS_CONTROL,
    OPS_AUDIT,
)
