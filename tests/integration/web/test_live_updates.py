"""Live updates end to end inside one process: a projected event → NOTIFY → LISTEN → the streams of
the browsers allowed to see it (within a second), and of no one else; a reconnect catches up."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

import httpx
import pytest
from litestar.testing import AsyncTestClient

from schemas.census import CensusStatus
from schemas.events import (
    CedulaValidated,
    CedulaValidatedData,
    ValidationStarted,
    ValidationStartedData,
)
from services.web.projection.projector import Projector
from tests.integration.web.builders import project
from tests.integration.web.sse_client import EventStream
from tests.integration.web.support import register, register_admin, set_role
from tests.support.accounts import PASSWORD
from tests.support.events import SINCELEJO


async def browser(base_url: str, cedula: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base_url)
    page = await client.get("/ingresar")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    response = await client.post(
        "/ingresar", data={"cedula": cedula, "password": PASSWORD, "_csrf_token": token}
    )
    assert response.status_code == 303
    return client


def validated(user: dict) -> CedulaValidated:
    return CedulaValidated(
        producer="tests",
        data=CedulaValidatedData(
            user_id=UUID(user["id"]),
            cedula=user["cedula"],
            request_id=UUID(int=1),
            attempt=1,
            source="wsp",
            status=CensusStatus.ACTIVE,
            voting_place=SINCELEJO,
            fetched_at=datetime.now(UTC),
        ),
    )


def started(user: dict) -> ValidationStarted:
    data = ValidationStartedData(
        user_id=UUID(user["id"]),
        cedula=user["cedula"],
        request_id=UUID(int=2),
        attempt=1,
        source="wsp",
    )
    return ValidationStarted(producer="tests", data=data)


@pytest.fixture
async def people(registration: AsyncTestClient, sync: Callable) -> dict[str, dict]:
    admin = await register_admin(registration)
    leader = await register(registration)
    await set_role(registration, admin["id"], leader["id"], "LEADER")
    referral = await register(registration, referral_code=leader["referral_code"])
    stranger = await register(registration)
    await sync()
    return {"admin": admin, "leader": leader, "referral": referral, "stranger": stranger}


async def test_a_census_answer_reaches_those_allowed_within_a_second_and_nobody_else(
    served_url: str, people: dict[str, dict], projector: Projector
) -> None:
    referral = people["referral"]
    clients = {name: await browser(served_url, people[name]["cedula"]) for name in people}
    try:
        streams = {name: EventStream(clients[name]) for name in clients}
        for stream in streams.values():
            await stream.__aenter__()
        began = time.monotonic()
        await project(projector, validated(referral))
        expected = f"change-{referral['id']}"
        for name in ("leader", "referral", "admin"):
            await streams[name].wait(lambda s=streams[name]: expected in s.names(), timeout_s=1.0)
        assert time.monotonic() - began < 1.0
        await asyncio.sleep(0.3)  # time enough for a wrong delivery to show
        assert streams["stranger"].names() == []
        assert "referral-changed" in streams["leader"].names()

        row = await clients["leader"].get(f"/referidos/fila/{referral['id']}")
        assert "Activo (habilitado para votar)" in row.text and "IE SAN JOSE C I P" in row.text
        for stream in streams.values():
            await stream.__aexit__()
    finally:
        for client in clients.values():
            await client.aclose()


async def test_a_reconnect_with_last_event_id_gets_what_it_missed(
    served_url: str, people: dict[str, dict], projector: Projector
) -> None:
    leader = await browser(served_url, people["leader"]["cedula"])
    try:
        async with EventStream(leader) as first:
            seen = first.first_id
            assert first.comments  # the stream greets (and then pings) to stay open
        await project(projector, started(people["referral"]))  # while disconnected
        async with EventStream(leader, last_event_id=seen) as again:
            expected = f"change-{people['referral']['id']}"
            await again.wait(lambda: expected in again.names(), timeout_s=1.0)
        async with EventStream(leader, last_event_id="another-process-1") as lost:
            await lost.wait(lambda: "resync" in lost.names(), timeout_s=1.0)
    finally:
        await leader.aclose()


async def test_an_idle_stream_is_kept_alive_by_comments(
    served_url: str, people: dict[str, dict]
) -> None:
    """The served app's heartbeat is 0.5 s: one sweeping task pings every idle stream."""
    stranger = await browser(served_url, people["stranger"]["cedula"])
    try:
        async with EventStream(stranger) as idle:
            await idle.wait(lambda: idle.comments.count("ping") >= 2, timeout_s=3.0)
            assert idle.comments[0] == "hola" and idle.names() == []
    finally:
        await stranger.aclose()
