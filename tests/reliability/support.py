"""What the reliability scenarios share: their sizes, their result records, infrastructure they
may stop and start again, and the read-model queries they check with."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from infra.local.kafka import KafkaNode
from infra.local.postgres import PostgresCluster
from schemas.envelope import Event, encode_event
from tests.support.infra import free_port, stop_process, wait_for_port

RESULTS_DIR = Path(__file__).parent / "results"
FULL = os.environ.get("RELIABILITY_FULL") == "1"


def size(name: str, quick: float, full: float) -> float:
    """RELIABILITY_<NAME> if set, else the full size under `make chaos`, else the quick one."""
    configured = os.environ.get(f"RELIABILITY_{name.upper()}")
    return float(configured) if configured else (full if FULL else quick)


@dataclass
class ScenarioResult:
    """One line of docs/reliability.md: what was injected, what was checked, what was counted."""

    scenario: str
    title: str
    test: str = ""
    injected: str = ""
    checked: str = ""
    sent: int = 0
    delivered: int = 0
    duplicated: int = 0
    lost: int = 0
    sizes: dict[str, float] = field(default_factory=dict)
    notes: str = ""
    profile: str = "full" if FULL else "quick"
    passed: bool = False
    duration_s: float = 0.0

    def write(self) -> Path:
        RESULTS_DIR.mkdir(exist_ok=True)
        path = RESULTS_DIR / f"{self.scenario}.json"
        path.write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False))
        return path


@dataclass
class StoppableKafka:
    """A Kafka node of one test that the test may stop and start again (same data, same port)."""

    node: KafkaNode
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @classmethod
    def under(cls, base: Path) -> StoppableKafka:
        node = KafkaNode(base / "kafka", free_port(), free_port())
        return cls(node, base / "kafka.log")

    @property
    def bootstrap_servers(self) -> str:
        return self.node.bootstrap_servers

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = self.node.popen(stdout=log, stderr=subprocess.STDOUT)
        wait_for_port(self.node.port, process=self.process)

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process, timeout_s=60)
            self.process = None


@dataclass
class StoppablePostgres:
    """A PostgreSQL cluster of one test that the test may stop and start again."""

    cluster: PostgresCluster
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @classmethod
    def under(cls, base: Path) -> StoppablePostgres:
        """`base` must be readable by the `postgres` user (not pytest's private tmp_path)."""
        folder = base / f"postgres-{uuid.uuid4().hex[:8]}"
        cluster = PostgresCluster(folder, free_port(), durable=False)
        return cls(cluster, base / f"{folder.name}.log")

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = self.cluster.popen(stdout=log, stderr=subprocess.STDOUT)
        self.cluster.wait_ready()

    def stop(self) -> None:
        """Fast shutdown: open sessions are cut, as when a database server goes away (a plain
        SIGTERM would wait for every client to disconnect)."""
        if self.process is None:
            return
        pid_file = self.cluster.data_dir / "postmaster.pid"
        if pid_file.exists():
            os.kill(int(pid_file.read_text().split()[0]), signal.SIGINT)
        stop_process(self.process, timeout_s=60)
        self.process = None

    def database(self, name: str) -> str:
        self.cluster.create_database(name)
        return self.cluster.url(name)


async def publish_events(
    bootstrap: str, events: list[Event], pause_s: float
) -> dict[tuple[str, int], int]:
    """Publish `events` in order, `pause_s` apart; the last offset written per partition."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all")
    await producer.start()
    last: dict[tuple[str, int], int] = {}
    try:
        for event in events:
            key, value, headers = encode_event(event)
            sent = await producer.send_and_wait(
                event.destination,
                value,
                key=key,
                headers=[(k, v.encode()) for k, v in headers.items()],
            )
            last[(sent.topic, sent.partition)] = sent.offset
            await asyncio.sleep(pause_s)
    finally:
        await producer.stop()
    return last


def event_bodies(records: list) -> list[dict[str, Any]]:
    """The decodable event bodies among `records` (other scenarios leave poison on the topics)."""
    bodies = []
    for record in records:
        try:
            body = json.loads(record.value or b"")
        except (ValueError, UnicodeDecodeError):
            continue
        if isinstance(body, dict) and isinstance(body.get("data"), dict):
            bodies.append(body)
    return bodies


def registration_body(cedula: str, nombre: str = "Ana María Pérez") -> dict[str, Any]:
    return {
        "cedula": cedula,
        "nombre": nombre,
        "telefono": "3001234567",
        "password": "Girasol-2026",
        "data_policy_accepted": True,
    }


def cedulas(count: int, start: int = 0) -> list[str]:
    """Distinct valid cédulas, different for each `start`, none of the simulator's named ones."""
    return [str(30_000_000 + start + n) for n in range(count)]


def fast_registration_env() -> dict[str, str]:
    """argon2 cheap enough to register hundreds of users on two cores."""
    return {
        "REGISTRATION_ARGON2_TIME_COST": "1",
        "REGISTRATION_ARGON2_MEMORY_COST_KIB": "1024",
        "REGISTRATION_ARGON2_PARALLELISM": "1",
    }


def register(client: httpx.Client, base_url: str, token: str, cedula: str) -> httpx.Response:
    return client.post(
        f"{base_url}/api/users",
        json=registration_body(cedula),
        headers={"authorization": f"Bearer {token}"},
        timeout=30,
    )


async def query(url: str, sql: str, **params: Any) -> list[dict[str, Any]]:
    """Rows of one query, as dicts, on a short-lived engine."""
    engine = create_async_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            result = await conn.execute(text(sql), params)
            return [dict(row._mapping) for row in result]
    finally:
        await engine.dispose()


async def wait_until(
    check: Callable[[], Any], timeout_s: float, what: str, interval_s: float = 1.0
) -> Any:
    """Poll the async `check` until it returns something truthy, or fail saying `what`."""
    deadline = time.monotonic() + timeout_s
    last: Any = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(interval_s)
    raise AssertionError(f"{what}: not reached in {timeout_s:.0f} s (last: {last!r})")
