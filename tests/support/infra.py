"""Throw-away Kafka and PostgreSQL for one test session, on free ports in a temporary folder.

Set KAFKA_BOOTSTRAP_SERVERS or TEST_POSTGRES_PORT-style variables to reuse running ones instead.
"""

from __future__ import annotations

import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from infra.local.kafka import KafkaNode
from infra.local.postgres import PostgresCluster


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(
    port: int, timeout_s: float = 60.0, process: subprocess.Popen[bytes] | None = None
) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if process is not None and process.poll() is not None:
                raise RuntimeError(
                    f"process for port {port} exited with {process.returncode}"
                ) from None
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"nothing listening on port {port} after {timeout_s:.0f} s"
                ) from None
            time.sleep(0.1)


def stop_process(process: subprocess.Popen[bytes], timeout_s: float = 20.0) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running_kafka(base: Path, node: KafkaNode | None = None) -> Iterator[KafkaNode]:
    """Run `node` (a new one on free ports by default) until the block ends."""
    node = node or KafkaNode(base / f"kafka-{uuid.uuid4().hex[:8]}", free_port(), free_port())
    log = (base / "kafka.log").open("ab")
    process = node.popen(stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_port(node.port, process=process)
        yield node
    finally:
        stop_process(process)
        log.close()


@contextmanager
def running_postgres(base: Path) -> Iterator[PostgresCluster]:
    cluster = PostgresCluster(base / "postgres", free_port(), durable=False)
    log = (base / "postgres.log").open("ab")
    process = cluster.popen(stdout=log, stderr=subprocess.STDOUT)
    try:
        cluster.wait_ready()
        yield cluster
    finally:
        stop_process(process)
        log.close()
