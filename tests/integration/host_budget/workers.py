"""Real `censo worker run` processes against the simulator, for the process tests of this folder."""

from __future__ import annotations

import secrets
from pathlib import Path

from tests.support.processes import ServiceProcess

INTERVAL_S = 1.0


def deployment_env(
    kafka_bootstrap: str, port: int, group: str, database_url: str
) -> dict[str, str]:
    """Settings shared by the workers and the simulator (with its request log) they use."""
    return {
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "SIM_PORT": str(port),
        "SIM_REQUEST_LOG": "true",
        "SIM_LATENCY_MS": "100",
        "CENSUS_WSP_URL": f"http://127.0.0.1:{port}/censo/consultar/",
        "CENSUS_CONSULTACENSO_URL": f"http://127.0.0.1:{port}/consultacenso/",
        "CENSUS_CAPTCHA_BASE_URL": f"http://127.0.0.1:{port}",
        "CENSUS_CAPTCHA_API_KEY": "test",
        "CENSUS_CAPTCHA_POLL_INTERVAL_S": "0.1",
        "CENSUS_MAX_CONCURRENT_LOOKUPS": "2",
        "WORKER_GROUP_ID": group,
        "WORKER_DATABASE_URL": database_url,
        "WORKER_MIN_INTERVAL_S": str(INTERVAL_S),
        "WORKER_TURN_LEASE_S": "3",
        "WORKER_METRICS_PORT": "0",
        "CENSUS_FRESH_FOR": "0",
        "PYTHONUNBUFFERED": "1",
    }


def start_workers(env: dict[str, str], log_dir: Path, count: int) -> list[ServiceProcess]:
    return [
        ServiceProcess(f"worker-{i}", ["worker", "run"], env, log_dir).start() for i in range(count)
    ]


def cedulas(count: int) -> list[str]:
    return [str(60_000_000 + secrets.randbelow(9_000_000)) for _ in range(count)]
