"""Session-wide real infrastructure: Kafka and PostgreSQL are started once, lazily, by the tests
that ask for them, and stopped at the end. Unit tests never touch them."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from infra.local.kafka import KafkaNode
from infra.local.postgres import PostgresCluster
from services.common.kafka import ensure_topics
from services.common.settings import KafkaSettings
from tests.support import log_audit
from tests.support.infra import running_kafka, running_postgres


@pytest.fixture(scope="session", autouse=True)
def no_personal_data_in_any_process_log() -> Iterator[None]:
    """After the last test: every service process's log is read (tests/support/log_audit.py);
    a leak fails the session at teardown, naming the file and line."""
    yield
    leaks = log_audit.findings(log_audit.WRITTEN)
    assert not leaks, "personal data in the logs:\n" + "\n".join(leaks[:20])


@pytest.fixture(scope="session")
def infra_dir() -> Iterator[Path]:
    # Not pytest's tmp_path: its folders are private to root, and PostgreSQL runs as `postgres`.
    path = Path(tempfile.mkdtemp(prefix="censo-test-infra-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def kafka_node(infra_dir: Path) -> Iterator[KafkaNode | None]:
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield None
        return
    with running_kafka(infra_dir) as node:
        yield node


@pytest.fixture(scope="session")
def kafka_bootstrap(kafka_node: KafkaNode | None) -> str:
    """The session's broker, with every declared topic created."""
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS") or kafka_node.bootstrap_servers  # type: ignore[union-attr]
    asyncio.run(ensure_topics(KafkaSettings(bootstrap_servers=bootstrap)))
    return bootstrap


@pytest.fixture(scope="session")
def postgres_cluster(infra_dir: Path) -> Iterator[PostgresCluster]:
    with running_postgres(infra_dir) as cluster:
        yield cluster


@pytest.fixture(scope="session")
def create_database(postgres_cluster: PostgresCluster) -> Callable[[str], str]:
    """Make a fresh, empty database and return its asyncpg SQLAlchemy URL."""

    def create(prefix: str = "test") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        postgres_cluster.create_database(name)
        return postgres_cluster.url(name)

    return create
