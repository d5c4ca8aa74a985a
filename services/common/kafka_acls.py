"""Who may do what on the Kafka cluster: one principal per service and the ACL set, as data.

`censo infra kafka-acls` applies it (`kafka_acl_admin.apply_acls`); docs/deployment.md shows it as
a table. Every grant is an ALLOW from any host; what is not granted is refused once the cluster
runs an authorizer. Idempotent producers need no cluster permission (Write on a topic is enough
since Kafka 3.0) and no process uses transactional ids, so neither appears here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from schemas import topics
from schemas.topics import ALL_TOPICS, TopicSpec

RELAY = "User:censo-registration-relay"
WORKER = "User:censo-census-worker"
WEB = "User:censo-web"
OPERATOR = "User:censo-operator"
PRINCIPALS = (RELAY, WORKER, WEB, OPERATOR)

# Consumer groups, by prefix: the worker's are `census-worker`, `-retry` and `-control`
# (WORKER_GROUP_ID), the projector's `web-projector` (WEB_PROJECTOR_GROUP_ID).
WORKER_GROUPS = "census-worker"
PROJECTOR_GROUPS = "web-projector"
ANY = "*"  # Kafka's wildcard resource name


class Resource(IntEnum):
    """Kafka's resource type codes."""

    TOPIC = 2
    GROUP = 3


class Operation(IntEnum):
    """Kafka's ACL operation codes (Read and Write imply Describe)."""

    READ = 3
    WRITE = 4
    DESCRIBE = 8
    DESCRIBE_CONFIGS = 10


@dataclass(frozen=True, order=True)
class Grant:
    """`principal` may do `operation` on the resource named `name` (or on every name starting
    with it when `prefixed`)."""

    principal: str
    resource: Resource
    name: str
    operation: Operation
    prefixed: bool = False

    def describe(self) -> str:
        pattern = f"{self.name}*" if self.prefixed else self.name
        return f"{self.principal} {self.operation.name} {self.resource.name} {pattern}"


def _on_topics(principal: str, operation: Operation, specs: Iterable[TopicSpec]) -> list[Grant]:
    return [Grant(principal, Resource.TOPIC, spec.name, operation) for spec in specs]


def _on_groups(principal: str, operation: Operation, prefix: str) -> Grant:
    return Grant(principal, Resource.GROUP, prefix, operation, prefixed=prefix != ANY)


REQUESTS = (topics.ACCOUNTS, topics.VALIDATION_REQUESTS, topics.BULK_VALIDATION_REQUESTS)
DEAD_LETTERS = (topics.WORKER_DLT, topics.WEB_DLT)

# The outbox relay publishes what registration commits: account events and validation requests.
_RELAY = _on_topics(RELAY, Operation.WRITE, REQUESTS)

# The worker reads both lanes, its retries and the control topic; it writes the answers, its
# retries, its dead letters and the capacity report. Never account events.
_WORKER = [
    *_on_topics(WORKER, Operation.READ, [*REQUESTS, *topics.WORKER_RETRIES, topics.CENSUS_CONTROL]),
    *_on_topics(
        WORKER,
        Operation.WRITE,
        [topics.CENSUS_RESULTS, *topics.WORKER_RETRIES, topics.WORKER_DLT, topics.CENSUS_STATUS],
    ),
    _on_groups(WORKER, Operation.READ, WORKER_GROUPS),
]

# The web projects every event, parks what it cannot project, and its Operación page browses the
# dead letters and the audit, shows the groups' lag, and records what admins do there: bulk
# requests (revalidations, redriven requests), a host's resume, the audit. Never account events
# nor census answers: a redrive of such letters is `censo ops dlt redrive`, as an operator.
_WEB = [
    *_on_topics(
        WEB,
        Operation.READ,
        [*REQUESTS, topics.CENSUS_RESULTS, topics.CENSUS_STATUS, *DEAD_LETTERS, topics.OPS_AUDIT],
    ),
    *_on_topics(
        WEB,
        Operation.WRITE,
        [topics.BULK_VALIDATION_REQUESTS, topics.WEB_DLT, topics.CENSUS_CONTROL, topics.OPS_AUDIT],
    ),
    *_on_topics(WEB, Operation.DESCRIBE, ALL_TOPICS),
    _on_groups(WEB, Operation.READ, PROJECTOR_GROUPS),
    _on_groups(WEB, Operation.DESCRIBE, WORKER_GROUPS),
]

# Operators read everything, check topic configs, reset any group's offsets, and write what their
# commands publish: bulk requests, resumes, the audit, and redriven letters sent back home.
_OPERATOR = [
    *_on_topics(OPERATOR, Operation.READ, ALL_TOPICS),
    *_on_topics(OPERATOR, Operation.DESCRIBE_CONFIGS, ALL_TOPICS),
    *_on_topics(
        OPERATOR,
        Operation.WRITE,
        [
            topics.ACCOUNTS,
            topics.BULK_VALIDATION_REQUESTS,
            topics.CENSUS_RESULTS,
            topics.CENSUS_CONTROL,
            topics.OPS_AUDIT,
        ],
    ),
    _on_groups(OPERATOR, Operation.READ, ANY),
]

ACL_SET: tuple[Grant, ...] = tuple(sorted({*_RELAY, *_WORKER, *_WEB, *_OPERATOR}))
