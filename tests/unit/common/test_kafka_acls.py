"""The ACL set as data: who may write account events, and nothing granted on an undeclared topic."""

from __future__ import annotations

from schemas.topics import ACCOUNTS, ALL_TOPICS
from services.common.kafka_acls import (
    ACL_SET,
    OPERATOR,
    PRINCIPALS,
    RELAY,
    WEB,
    WORKER,
    Operation,
    Resource,
)


def writers_of(topic: str) -> set[str]:
    return {
        grant.principal
        for grant in ACL_SET
        if (grant.resource, grant.name, grant.operation) == (Resource.TOPIC, topic, Operation.WRITE)
    }


def test_only_the_relay_and_operators_may_write_account_events() -> None:
    assert writers_of(ACCOUNTS.name) == {RELAY, OPERATOR}


def test_the_worker_writes_only_census_topics() -> None:
    written = {g.name for g in ACL_SET if g.principal == WORKER and g.operation == Operation.WRITE}
    assert written and all(name.startswith("census.") for name in written)


def test_every_topic_granted_is_declared_and_every_principal_has_grants() -> None:
    declared = {spec.name for spec in ALL_TOPICS}
    assert {g.name for g in ACL_SET if g.resource == Resource.TOPIC} <= declared
    assert {g.principal for g in ACL_SET} == set(PRINCIPALS)
    assert WEB not in writers_of(ACCOUNTS.name)
