"""The whole system as separate processes (tests/support/stack.py) on its own Kafka node and
databases, so other suites' events never reach it. The node is shared by the e2e tests: each stack's
consumer groups start at the topics' end, so a stack never first works through earlier tests'
sign-ups (at the host's 5 s interval that backlog outlasts a test's patience)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from infra.local.kafka import KafkaNode
from tests.support.infra import running_kafka
from tests.support.stack import Stack, stack_env


@pytest.fixture(scope="session")
def e2e_kafka(infra_dir: Path) -> Iterator[KafkaNode]:
    with running_kafka(infra_dir) as node:
        yield node


@pytest.fixture(name="stack_env")
def stack_env_fixture(
    e2e_kafka: KafkaNode, create_database: Callable[[str], str]
) -> dict[str, str]:
    return stack_env(e2e_kafka.bootstrap_servers, create_database)


@pytest.fixture
def stack(stack_env: dict[str, str], tmp_path: Path) -> Iterator[Stack]:
    stack = Stack(stack_env, tmp_path)
    asyncio.run(stack.start_groups_at_end())
    try:
        stack.start_all()
        yield stack
    finally:
        stack.stop_all()
