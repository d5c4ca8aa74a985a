"""The whole system for the end-to-end latency benchmark: every service a `censo …` process (as
tests/e2e runs them) on its own Kafka node and databases, tuned as the issue asks (simulator pages
200 ms, no politeness delay, captcha tokens solved ahead), plus a leader logged in on the web."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.cpu import tree_cpu_s
from bench.infra import clean_env, new_database
from tests.support.infra import free_port, running_kafka, running_postgres
from tests.support.processes import CENSO, ServiceProcess

SIM_LATENCY_MS = 200
PASSWORD = "Girasol-2026"
# Cheap argon2id (as bench/registration_api.py): at the default ~140 ms of CPU a hash, 20
# registrations a second would need more than the machine's two cores for hashing alone.
CHEAP_ARGON2 = {"ARGON2_TIME_COST": "1", "ARGON2_MEMORY_COST_KIB": "64", "ARGON2_PARALLELISM": "1"}
LOOKUPS_IN_FLIGHT = 8  # the worker's best level in bench 1 (16 was no faster on 2 cores)
PARTITIONS_IN_PARALLEL = 6  # accounts.events has 6 partitions: more consumers would idle
_CSRF_INPUT = re.compile(r'name="_csrf_token" value="([^"]+)"')
_SERVICES = (
    ("registration", "serve"),
    ("registration", "relay"),
    ("worker", "run"),
    ("web", "serve"),
)


@dataclass
class Stack:
    env: dict[str, str]
    log_dir: Path
    processes: list[ServiceProcess] = field(default_factory=list)

    def url(self, service: str, path: str = "") -> str:
        port = {"web": "WEB_PORT", "registration": "REGISTRATION_PORT", "simulator": "SIM_PORT"}
        return f"http://127.0.0.1:{self.env[port[service]]}{path}"

    @property
    def registration_headers(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.env['REGISTRATION_SERVICE_TOKEN']}"}

    def start(self, *args: str) -> ServiceProcess:
        process = ServiceProcess("-".join(args), list(args), self.env, self.log_dir).start()
        self.processes.append(process)
        return process

    def pids(self) -> dict[str, int]:
        return {p.name: p.process.pid for p in self.processes if p.process is not None}


@contextmanager
def running_stack(workdir: Path) -> Iterator[Stack]:
    with ExitStack() as stack:
        kafka = stack.enter_context(running_kafka(workdir))
        pg = stack.enter_context(running_postgres(workdir))
        databases = {name: new_database(pg, name) for name in ("registration", "web", "worker")}
        env = _env(kafka.bootstrap_servers, databases)
        services = Stack(env, workdir)
        try:
            # All at once (no lookup starts before the benchmark registers someone).
            simulator = services.start("infra", "simulator")
            started = [services.start(*args) for args in _SERVICES]
            simulator.wait_http(services.url("simulator", "/censo/consultar/"))
            started[0].wait_http(services.url("registration", "/health"))
            started[-1].wait_http(services.url("web", "/health"))
            yield services
        finally:
            for process in services.processes:  # all asked at once: each has its shutdown
                if process.process is not None and process.process.poll() is None:
                    process.process.terminate()
            for process in services.processes:
                _wait_or_kill(process)


def _wait_or_kill(service: ServiceProcess, timeout_s: float = 30.0) -> None:
    if service.process is None:
        return
    try:
        service.process.wait(timeout_s)
    except subprocess.TimeoutExpired:
        service.kill()  # its whole process group, Chromium included


def _env(kafka: str, databases: dict[str, str]) -> dict[str, str]:
    sim_port, registration_port, web_port = free_port(), free_port(), free_port()
    simulator = f"http://127.0.0.1:{sim_port}"
    settings = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka,
        "REGISTRATION_DATABASE_URL": databases["registration"],
        "WORKER_DATABASE_URL": databases["worker"],
        "REGISTRATION_PORT": str(registration_port),
        "REGISTRATION_SERVICE_TOKEN": secrets.token_urlsafe(16),
        **{f"REGISTRATION_{k}": v for k, v in CHEAP_ARGON2.items()},
        "WEB_DATABASE_URL": databases["web"],
        "WEB_PORT": str(web_port),
        "WEB_REGISTRATION_URL": f"http://127.0.0.1:{registration_port}",
        # The worker opens sealed requests with the people's keys from the same API.
        "WORKER_REGISTRATION_URL": f"http://127.0.0.1:{registration_port}",
        "WEB_SESSION_SECRET": secrets.token_urlsafe(32),
        "SIM_PORT": str(sim_port),
        "SIM_LATENCY_MS": str(SIM_LATENCY_MS),
        "SIM_CAPTCHA_SOLVE_MS": "0",
        "CENSUS_WSP_URL": f"{simulator}/censo/consultar/",
        "CENSUS_CAPTCHA_BASE_URL": simulator,
        "CENSUS_CAPTCHA_API_KEY": "bench",
        "CENSUS_CAPTCHA_POLL_INTERVAL_S": "0.05",
        "CENSUS_CAPTCHA_POOL_SIZE": "20",
        "CENSUS_MAX_CONCURRENT_LOOKUPS": str(LOOKUPS_IN_FLIGHT),
        "WORKER_PARTITIONS_IN_PARALLEL": str(PARTITIONS_IN_PARALLEL),
        "WORKER_MIN_INTERVAL_S": "0",
        "WORKER_METRICS_PORT": "0",  # 9400 may be taken by someone else's worker
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    return clean_env(
        ("KAFKA_", "REGISTRATION_", "WEB_", "SIM_", "CENSUS_", "WORKER_", "LOG_"), settings
    )


def create_admin(stack: Stack) -> None:
    env = {**stack.env, "CENSO_ADMIN_PASSWORD": PASSWORD}
    args = ["admin", "create", "--cedula", "1000000001", "--nombre", "Admin Bench"]
    subprocess.run(
        [CENSO, *args, "--telefono", "3001234567"], env=env, check=True, capture_output=True
    )


def sign_up(cedula: str, referral_code: str | None = None) -> dict[str, Any]:
    """The registration API's body for one person of the benchmark."""
    return {
        "cedula": cedula,
        "nombre": "Ana María Pérez",
        "telefono": "3001234567",
        "password": PASSWORD,
        "data_policy_accepted": True,
        "referral_code": referral_code,
    }


def register(
    http: httpx.Client, stack: Stack, cedula: str, referral_code: str | None = None
) -> dict[str, Any]:
    body = sign_up(cedula, referral_code)
    answer = http.post(
        stack.url("registration", "/api/users"), json=body, headers=stack.registration_headers
    )
    answer.raise_for_status()
    return answer.json()


def make_leader(stack: Stack, cedula: str) -> dict[str, Any]:
    """A user with the LEADER role (set by the first ADMIN, as the dashboard would)."""
    create_admin(stack)
    with httpx.Client(timeout=30.0) as http:
        admin = http.post(
            stack.url("registration", "/api/sessions/verify"),
            json={"cedula": "1000000001", "password": PASSWORD},
            headers=stack.registration_headers,
        )
        admin.raise_for_status()
        leader = register(http, stack, cedula)
        headers = {**stack.registration_headers, "x-actor-id": admin.json()["id"]}
        role = http.put(
            stack.url("registration", f"/api/users/{leader['id']}/role"),
            json={"role": "LEADER"},
            headers=headers,
        )
        role.raise_for_status()
    return leader


def web_login(stack: Stack, cedula: str) -> str:
    """Log in through the web's own form; the Cookie header of the new session."""
    with httpx.Client(base_url=stack.url("web"), timeout=30.0) as web:
        token = _CSRF_INPUT.search(web.get("/ingresar").text)
        if token is None:
            raise RuntimeError("no CSRF token on the login page")
        data = {"cedula": cedula, "password": PASSWORD, "_csrf_token": token.group(1)}
        answer = web.post("/ingresar", data=data)
        if answer.status_code != 303 or "censo_sesion" not in web.cookies:
            raise RuntimeError(f"web login failed: {answer.status_code}")
        return f"censo_sesion={web.cookies['censo_sesion']}"


def cpu_of(pid: int) -> float:
    """CPU seconds of a service and its children (the worker's Chromium)."""
    return tree_cpu_s(pid) if os.path.exists(f"/proc/{pid}") else 0.0
