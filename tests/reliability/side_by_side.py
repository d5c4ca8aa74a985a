"""A deployment with processes side by side: two registration APIs, two outbox relays, three
census workers and two web processes, each a `censo …` process with a port of its own, on one
Kafka and one PostgreSQL (the scenario is test_side_by_side.py)."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field

import httpx

from services.census_worker.entrypoints.subscribers import INPUT_LANES
from services.web.entrypoints.subscribers import PROJECTED_TOPICS
from tests.support.infra import free_port
from tests.support.kafka import until_group_settled
from tests.support.stack import Stack

REGISTRATIONS = ("registration-1", "registration-2")
RELAYS = ("relay-1", "relay-2")
WORKERS = ("worker-1", "worker-2", "worker-3")
WEBS = ("web-1", "web-2")  # web-n talks to registration-n
LEADING = re.compile(r"^outbox_relay_leading (\S+)$", re.MULTILINE)
STREAMS = re.compile(r"^web_sse_streams_open (\S+)$", re.MULTILINE)


@dataclass
class SideBySide:
    stack: Stack
    # Each process's HTTP port: its API or pages, or the operations endpoint of a relay or worker.
    ports: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in (*REGISTRATIONS, *RELAYS, *WORKERS, *WEBS):
            self.ports.setdefault(name, free_port())

    @property
    def env(self) -> dict[str, str]:
        return self.stack.env

    def url(self, name: str, path: str = "") -> str:
        return f"http://127.0.0.1:{self.ports[name]}{path}"

    def start_all(self) -> None:
        """The simulator first (a lookup against nothing would fail), then the rest all at
        once, as a deployment's hosts would start them (migrations take turns by lock)."""
        simulator = self.stack.start("simulator", "infra", "simulator")
        simulator.wait_http(self.stack.url("simulator", "/censo/consultar/"))
        for name in REGISTRATIONS:
            self.stack.start(
                name, "registration", "serve", env={"REGISTRATION_PORT": self._port(name)}
            )
        for name in RELAYS:
            port = {"REGISTRATION_RELAY_METRICS_PORT": self._port(name)}
            self.stack.start(name, "registration", "relay", env=port)
        for name in WORKERS:
            self.stack.start(name, "worker", "run", env={"WORKER_METRICS_PORT": self._port(name)})
        for web, registration in zip(WEBS, REGISTRATIONS, strict=True):
            self.stack.start(web, "web", "serve", env=self._web_env(web, registration))
        for name in (*REGISTRATIONS, *WEBS):
            self.stack.services[name].wait_http(self.url(name, "/health/live"), timeout_s=120)
        for name in (*RELAYS, *WORKERS):
            self.stack.services[name].wait_http(self.url(name, "/health/live"), timeout_s=120)

    async def until_groups_settled(self) -> None:
        """Every worker and web process joined its group: no rebalance is still to come."""
        bootstrap = self.env["KAFKA_BOOTSTRAP_SERVERS"]
        per_worker = len(INPUT_LANES) * int(self.env["WORKER_PARTITIONS_IN_PARALLEL"])
        await until_group_settled(
            bootstrap, self.env["WORKER_GROUP_ID"], len(WORKERS) * per_worker, timeout_s=180
        )
        await until_group_settled(
            bootstrap,
            self.env["WEB_PROJECTOR_GROUP_ID"],
            len(WEBS) * len(PROJECTED_TOPICS),
            timeout_s=180,
        )

    def leading_relays(self) -> list[str]:
        """The running relays whose operations endpoint says they hold the publishing lock."""
        leading = []
        for name in RELAYS:
            process = self.stack.services[name].process
            if process is None or process.poll() is not None:
                continue
            try:
                metrics = httpx.get(self.url(name, "/metrics"), timeout=5).text
            except httpx.HTTPError:
                continue
            if (match := LEADING.search(metrics)) and float(match.group(1)) == 1:
                leading.append(name)
        return leading

    async def one_leading_relay(self, relay: str | None = None) -> list[str] | None:
        """[the relay] when it alone leads (`relay`, or any), else None: for `wait_until`."""
        leading = await asyncio.to_thread(self.leading_relays)
        alone = len(leading) == 1 and (relay is None or leading == [relay])
        return leading if alone else None

    async def streams_open(self) -> bool:
        """Each web process has a browser's live stream open (its `web_sse_streams_open`)."""
        async with httpx.AsyncClient() as client:
            for web in WEBS:
                metrics = (await client.get(self.url(web, "/metrics"))).text
                if not (match := STREAMS.search(metrics)) or float(match.group(1)) < 1:
                    return False
        return True

    def _port(self, name: str) -> str:
        return str(self.ports[name])

    def _web_env(self, web: str, registration: str) -> dict[str, str]:
        return {
            "WEB_PORT": self._port(web),
            "WEB_PUBLIC_BASE_URL": self.url(web),
            "WEB_REGISTRATION_URL": self.url(registration),
        }


def side_by_side_env() -> dict[str, str]:
    """Over `stack_env`: lookups as fast as the simulator answers, a standby relay that tries the
    lock twice a second, and no worker on the default metrics port (each gets its own)."""
    return {
        "WORKER_MIN_INTERVAL_S": "0",
        "REGISTRATION_OUTBOX_STANDBY_POLL_S": "0.5",
        "WORKER_PARTITIONS_IN_PARALLEL": "2",
        "CENSUS_MAX_CONCURRENT_LOOKUPS": "2",
    }
