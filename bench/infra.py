"""Processes the benchmarks start for themselves: servers run with `python …` (the simulator,
the registration API) on free ports, stopped when their block ends.

A throw-away PostgreSQL or Kafka comes from the test suite's helpers (tests/support/infra.py:
`running_postgres`, `running_kafka`), so tests and benchmarks start them the same way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from infra.local.postgres import PostgresCluster
from tests.support.infra import free_port, stop_process, wait_for_port
from tests.support.processes import CENSO


@dataclass(frozen=True)
class Served:
    """A service process listening on `port`; `log` keeps its output for a failed run."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


@contextmanager
def scratch_dir(prefix: str) -> Iterator[Path]:
    """A temporary folder others may read (PostgreSQL runs as `postgres`), removed at the end."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def clean_env(drop_prefixes: tuple[str, ...], extra: Mapping[str, str]) -> dict[str, str]:
    """The environment without the given settings prefixes (a sourced dev.env must not leak)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop_prefixes)}
    return {**env, **extra}


@contextmanager
def serving(
    args: list[str], env: Mapping[str, str], log: Path, port: int, timeout_s: float = 60.0
) -> Iterator[Served]:
    """Run `python <args>` until the block ends; yields once `port` accepts connections."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, *args], env=dict(env), stdout=out, stderr=subprocess.STDOUT
        )
    served = Served(process, port, log)
    try:
        try:
            wait_for_port(port, timeout_s, process)
        except (RuntimeError, TimeoutError) as exc:
            raise RuntimeError(f"{exc}:\n{served.tail()}") from exc
        yield served
    finally:
        stop_process(process)


def uvicorn_args(factory: str, port: int) -> list[str]:
    return [
        "-m",
        "uvicorn",
        "--factory",
        factory,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]


@contextmanager
def serving_simulator(workdir: Path, **settings: object) -> Iterator[Served]:
    """The Registraduría simulator in its own process (it must not share the worker's GIL or
    count in its memory); `settings` are SimulatorSettings fields, e.g. latency_ms=200."""
    port = free_port()
    env = clean_env(("SIM_",), {f"SIM_{k.upper()}": str(v) for k, v in settings.items()})
    args = uvicorn_args("infra.registraduria_sim:create_app", port)
    with serving(args, env, workdir / f"simulator-{port}.log", port) as served:
        yield served


@contextmanager
def serving_web(workdir: Path, database_url: str, label: str = "web") -> Iterator[Served]:
    """`censo web serve` as deployed, without the projector (the benchmark writes the read model
    itself); its log is `web-<label>.log` in `workdir`."""
    port = free_port()
    settings = {"DATABASE_URL": database_url, "PORT": str(port), "CONSUME": "false"}
    env = clean_env(
        ("WEB_", "KAFKA_", "LOG_"),
        {**{f"WEB_{k}": v for k, v in settings.items()}, "LOG_LEVEL": "WARNING"},
    )
    env["WEB_SESSION_SECRET"] = "bench-" + "x" * 32
    log = workdir / f"web-{label.replace(' ', '_').replace(',', '')}.log"
    # Its imports take over a minute when the shared machine is busy (load average 40).
    with serving([CENSO, "web", "serve"], env, log, port, timeout_s=240) as served:
        yield served


def new_database(cluster: PostgresCluster, name: str) -> str:
    """Create database `name`; its asyncpg SQLAlchemy URL."""
    cluster.create_database(name)
    return cluster.url(name)
