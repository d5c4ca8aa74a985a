"""The whole system as separate processes: the simulator, the registration API and its relay, the
census worker and the web service, each a `censo …` process with its log kept for failures."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from services.web.entrypoints.subscribers import PROJECTED_TOPICS
from tests.support.infra import free_port
from tests.support.kafka import start_group_at_end, worker_groups, worker_topics
from tests.support.processes import ServiceProcess


@dataclass
class Stack:
    env: dict[str, str]
    log_dir: Path
    services: dict[str, ServiceProcess] = field(default_factory=dict)

    def url(self, service: str, path: str = "") -> str:
        port = {"web": "WEB_PORT", "registration": "REGISTRATION_PORT", "simulator": "SIM_PORT"}
        return f"http://127.0.0.1:{self.env[port[service]]}{path}"

    def start(self, name: str, *args: str, env: dict[str, str] | None = None) -> ServiceProcess:
        """`env`: this process's own settings over the stack's (its port, when several run)."""
        process = ServiceProcess(name, list(args), self.env | (env or {}), self.log_dir).start()
        self.services[name] = process
        return process

    def start_all(self) -> None:
        # The simulator first (a lookup against nothing would fail), then the rest side by side.
        simulator = self.start("simulator", "infra", "simulator")
        simulator.wait_http(self.url("simulator", "/censo/consultar/"))
        registration = self.start("registration", "registration", "serve")
        self.start("relay", "registration", "relay")
        self.start("worker", "worker", "run")
        web = self.start("web", "web", "serve")
        registration.wait_http(self.url("registration", "/health"))
        web.wait_http(self.url("web", "/health"))

    def stop_all(self) -> None:
        for process in reversed(list(self.services.values())):
            process.stop()
        self.services.clear()

    async def start_groups_at_end(self) -> None:
        """Put the worker's and the projector's consumer groups at the topics' end: a stack on a
        shared node must not take in what earlier tests left there."""
        bootstrap, worker = self.env["KAFKA_BOOTSTRAP_SERVERS"], self.env["WORKER_GROUP_ID"]
        for group in worker_groups(worker):
            await start_group_at_end(bootstrap, group, worker_topics())
        projected = [spec.name for spec in PROJECTED_TOPICS]
        await start_group_at_end(bootstrap, self.env["WEB_PROJECTOR_GROUP_ID"], projected)

    def logs(self) -> str:
        return "\n".join(f"--- {name}\n{p.tail()}" for name, p in self.services.items())


def stack_env(kafka_bootstrap: str, create_database: Callable[[str], str]) -> dict[str, str]:
    """Settings of a fresh deployment: its own databases, ports, tokens and consumer groups."""
    simulator = f"http://127.0.0.1:{(sim_port := free_port())}"
    registration_port, web_port = free_port(), free_port()
    return {
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "REGISTRATION_DATABASE_URL": create_database("registration"),
        "WEB_DATABASE_URL": create_database("web"),
        "WORKER_DATABASE_URL": create_database("census_worker"),
        "REGISTRATION_PORT": str(registration_port),
        "REGISTRATION_SERVICE_TOKEN": secrets.token_urlsafe(16),
        "REGISTRATION_OUTBOX_POLL_INTERVAL_S": "0.5",
        "WEB_PORT": str(web_port),
        "WEB_API_TOKEN": secrets.token_urlsafe(16),
        # The dashboard forwards to this registration API (same REGISTRATION_SERVICE_TOKEN).
        "WEB_REGISTRATION_URL": f"http://127.0.0.1:{registration_port}",
        # The worker opens sealed requests with keys from the same API (same token).
        "WORKER_REGISTRATION_URL": f"http://127.0.0.1:{registration_port}",
        "WEB_PUBLIC_BASE_URL": f"http://127.0.0.1:{web_port}",
        "WEB_SESSION_SECRET": secrets.token_urlsafe(32),
        # Each test is a fresh deployment: its own groups (fixtures may start them at the end).
        "WEB_PROJECTOR_GROUP_ID": f"web-{secrets.token_hex(4)}",
        "WORKER_GROUP_ID": f"worker-{secrets.token_hex(4)}",
        "SIM_PORT": str(sim_port),
        "CENSUS_WSP_URL": f"{simulator}/censo/consultar/",
        "CENSUS_CAPTCHA_BASE_URL": simulator,
        "CENSUS_CAPTCHA_API_KEY": "e2e",
        "CENSUS_CAPTCHA_POLL_INTERVAL_S": "0.1",
        "CENSUS_MAX_CONCURRENT_LOOKUPS": "2",
        "WORKER_PARTITIONS_IN_PARALLEL": "2",
        # A port of its own: the default 9400 may be held by another worker on this host.
        "WORKER_METRICS_PORT": str(free_port()),
        "PYTHONUNBUFFERED": "1",
    }
