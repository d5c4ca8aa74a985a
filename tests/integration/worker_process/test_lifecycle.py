"""The worker as a real process: killed with SIGKILL mid-lookup it loses nothing; stopped with
SIGTERM it finishes the lookup in flight, closes Chromium and exits 0."""

from __future__ import annotations

import os
import secrets
import signal
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from schemas import topics
from schemas.envelope import encode_event
from tests.support.events import user_registered
from tests.support.infra import free_port
from tests.support.kafka import publish, start_group_at_end, worker_groups, worker_topics
from tests.support.kafka_wait import watching
from tests.support.processes import ServiceProcess


@pytest.fixture
async def worker_env(
    kafka_bootstrap: str, tmp_path: Path, create_database: Callable[[str], str]
) -> AsyncIterator[dict[str, str]]:
    port = free_port()
    group = f"worker-{secrets.token_hex(4)}"
    for name in worker_groups(group):
        await start_group_at_end(kafka_bootstrap, name, worker_topics())
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "SIM_PORT": str(port),
        "SIM_LATENCY_MS": "2500",  # a lookup stays in flight long enough to be interrupted
        "CENSUS_WSP_URL": f"http://127.0.0.1:{port}/censo/consultar/",
        "CENSUS_CAPTCHA_BASE_URL": f"http://127.0.0.1:{port}",
        "CENSUS_CAPTCHA_API_KEY": "test",
        "CENSUS_CAPTCHA_POLL_INTERVAL_S": "0.1",
        "WORKER_GROUP_ID": group,
        "WORKER_DATABASE_URL": create_database("census_worker"),
        "WORKER_MIN_INTERVAL_S": "0",
        "WORKER_METRICS_PORT": "0",
        "PYTHONUNBUFFERED": "1",
    }
    simulator = ServiceProcess("simulator", ["infra", "simulator"], env, tmp_path).start()
    simulator.wait_http(f"http://127.0.0.1:{port}/in.php")
    yield env
    simulator.stop()


@pytest.fixture
def start_worker_process(
    worker_env: dict[str, str], tmp_path: Path
) -> Iterator[Callable[[str], ServiceProcess]]:
    """Start `censo worker run` processes; whatever still runs at the end is killed."""
    started: list[ServiceProcess] = []

    def start(name: str) -> ServiceProcess:
        process = ServiceProcess(name, ["worker", "run"], worker_env, tmp_path).start()
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()


def chromium_in_session(session_id: int) -> list[int]:
    """Chromium processes still alive in the worker's session (it started its own)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (
                os.getsid(int(entry.name)) == session_id
                and b"chrom" in (entry / "cmdline").read_bytes()
            ):
                alive.append(int(entry.name))
        except (ProcessLookupError, PermissionError, FileNotFoundError):
            continue
    return alive


def results_for(watcher, cedula: str, kind: str) -> list[dict]:  # type: ignore[no-untyped-def]
    return [b for b in watcher.bodies(cedula) if b["type"] == kind]


async def test_a_worker_killed_mid_lookup_loses_no_request(
    kafka_bootstrap: str, start_worker_process: Callable[[str], ServiceProcess]
) -> None:
    registered = user_registered(cedula="1102812122")
    async with watching(kafka_bootstrap, topics.CENSUS_RESULTS.name) as watcher:
        worker = start_worker_process("worker")
        await publish(kafka_bootstrap, topics.ACCOUNTS.name, *encode_event(registered)[:2])
        await watcher.wait_for(
            lambda _: results_for(watcher, "1102812122", "ValidationStarted"), 60
        )
        worker.kill()

        start_worker_process("worker-2")
        await watcher.wait_for(lambda _: results_for(watcher, "1102812122", "CedulaValidated"), 90)

    answers = results_for(watcher, "1102812122", "CedulaValidated")
    assert answers[0]["data"]["status"] == "ACTIVE"
    assert answers[0]["data"]["request_id"] == str(registered.event_id)


async def test_sigterm_finishes_the_lookup_in_flight_and_leaves_no_chromium(
    kafka_bootstrap: str, start_worker_process: Callable[[str], ServiceProcess]
) -> None:
    registered = user_registered(cedula="52123456")
    async with watching(kafka_bootstrap, topics.CENSUS_RESULTS.name) as watcher:
        worker = start_worker_process("worker")
        await publish(kafka_bootstrap, topics.ACCOUNTS.name, *encode_event(registered)[:2])
        await watcher.wait_for(lambda _: results_for(watcher, "52123456", "ValidationStarted"), 60)
        assert worker.process is not None
        session = os.getsid(worker.process.pid)
        worker.process.send_signal(signal.SIGTERM)
        exit_code = worker.process.wait(60)
        await watcher.wait_for(
            lambda _: (
                results_for(watcher, "52123456", "CedulaValidated")
                or results_for(watcher, "52123456", "ValidationFailed")
            ),
            10,
        )

    assert exit_code == 0, worker.tail()
    assert results_for(watcher, "52123456", "CedulaValidated"), worker.tail()
    assert chromium_in_session(session) == []
