"""The real processes log in one format: in production every line of their output is a JSON
object naming the service, uvicorn's lines included (no formatter of its own)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx

from tests.support.infra import free_port
from tests.support.processes import ServiceProcess

PRODUCTION = {"LOG_JSON_OUTPUT": "true", "LOG_LEVEL": "INFO", "PYTHONUNBUFFERED": "1"}


def json_lines(process: ServiceProcess) -> list[dict[str, Any]]:
    return [json.loads(line) for line in process.log_file.read_text().splitlines()]


def wait_for_line(process: ServiceProcess, event: str, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.log_file.exists() and f'"{event}"' in process.log_file.read_text():
            return
        time.sleep(0.1)
    raise TimeoutError(f"{process.name} never logged {event}:\n{process.tail()}")


def test_the_relay_names_itself_on_every_line(tmp_path: Path) -> None:
    unreachable = f"postgresql+asyncpg://censo@127.0.0.1:{free_port()}/registration"
    env = {**PRODUCTION, "REGISTRATION_DATABASE_URL": unreachable}
    relay = ServiceProcess("relay", ["registration", "relay"], env, tmp_path).start()
    try:
        wait_for_line(relay, "database.waiting")
    finally:
        relay.stop()

    lines = json_lines(relay)
    assert {line["service"] for line in lines} == {"registration-relay"}
    assert {"level", "logger", "timestamp"} <= lines[0].keys()


def test_uvicorn_lines_of_the_simulator_are_json_too(tmp_path: Path) -> None:
    port = free_port()
    env = {**PRODUCTION, "SIM_PORT": str(port)}
    simulator = ServiceProcess("simulator", ["infra", "simulator"], env, tmp_path).start()
    try:
        simulator.wait_http(f"http://127.0.0.1:{port}/in.php")
        httpx.get(f"http://127.0.0.1:{port}/censo/consultar/?nuip=1102812122", timeout=5)
    finally:
        simulator.stop()

    lines = json_lines(simulator)
    assert {line["service"] for line in lines} == {"simulator"}
    loggers = {line["logger"] for line in lines}
    assert {"uvicorn.error", "uvicorn.access"} <= loggers
    assert "1102812122" not in simulator.log_file.read_text()
