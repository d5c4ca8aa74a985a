"""The relay's operations endpoint (REGISTRATION_RELAY_METRICS_PORT): two relays on one host,
each on its own port; the leader and the standby are both ready and say which leads; a relay
whose batches Kafka refuses is unready and says so."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx

from services.registration.entrypoints.relay_process import _relay
from services.registration.settings import RegistrationSettings
from tests.integration.registration.conftest import make_settings, open_client
from tests.integration.registration.support import register
from tests.support.infra import free_port


@contextlib.asynccontextmanager
async def relay_serving(settings: RegistrationSettings) -> AsyncIterator[httpx.AsyncClient]:
    stop = asyncio.Event()
    task = asyncio.create_task(_relay(settings, stop))
    base = f"http://127.0.0.1:{settings.relay_metrics_port}"
    try:
        async with httpx.AsyncClient(base_url=base) as client:
            yield client
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


async def ready_body(client: httpx.AsyncClient, **expected: Any) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for _ in range(200):
        with contextlib.suppress(httpx.TransportError):
            body = (await client.get("/health/ready")).json()
            if all(body.get(key) == value for key, value in expected.items()):
                return body
        await asyncio.sleep(0.1)
    raise AssertionError(f"never {expected}: last {body}")


async def metrics_show(client: httpx.AsyncClient, line: str) -> None:
    for _ in range(300):
        if line in (await client.get("/metrics")).text:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the metrics never showed {line!r}")


async def test_a_leader_and_a_standby_on_one_host_are_both_ready_on_their_own_ports(
    create_database: Callable[[str], str], kafka_bootstrap: str
) -> None:
    url = create_database("registration_relay_health")
    async with await open_client(make_settings(url)) as api:  # migrates; leaves one unsent row
        await register(api)
    leader = make_settings(url, kafka_bootstrap, relay_metrics_port=free_port())
    standby = make_settings(url, kafka_bootstrap, relay_metrics_port=free_port())
    async with relay_serving(leader) as first:
        await ready_body(first, status="ready")
        assert "outbox_relay_leading 1.0" in (await first.get("/metrics")).text
        async with relay_serving(standby) as second:
            assert (await second.get("/health/live")).json() == {"status": "ok"}
            await ready_body(second, status="ready")
            metrics = (await second.get("/metrics")).text
            assert "outbox_relay_leading 0.0" in metrics
        await metrics_show(first, "outbox_relay_published_total 1.0")


async def test_a_relay_whose_batches_kafka_refuses_is_unready(
    create_database: Callable[[str], str],
) -> None:
    url = create_database("registration_relay_health")
    async with await open_client(make_settings(url)) as api:
        await register(api)
    settings = make_settings(url, f"127.0.0.1:{free_port()}", relay_metrics_port=free_port())
    async with relay_serving(settings) as client:
        body = await ready_body(client, status="unready", database="ok")
        assert body["kafka"].startswith("error: ")
        assert (await client.get("/health/ready")).status_code == 503
