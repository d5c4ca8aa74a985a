"""Sessions end for good and take their live streams with them: a password change ends every
session of the account (on every device and web process), a request in flight cannot bring back
a session that ended meanwhile, an open /eventos stream ends with its session, and a session, a
user and a process hold a bounded number of streams (a 429 in Spanish beyond)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select

from services.web.adapters.tables import web_sessions
from services.web.app import SESSION_COOKIE
from services.web.auth.session_store import PostgresSessionStore
from services.web.bootstrap import web_services
from tests.integration.web.sse_client import EventStream
from tests.integration.web.support import register
from tests.integration.web.test_live_updates import browser
from tests.support.accounts import PASSWORD

NEW_PASSWORD = "Otra-Clave-2026!"


@pytest.fixture
def web_overrides() -> dict[str, Any]:
    return {"sse_streams_per_session": 2}


async def csrf(client: httpx.AsyncClient, path: str) -> str:
    page = await client.get(path)
    return re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]


async def logged_in(client: httpx.AsyncClient) -> bool:
    return (await client.get("/inicio")).status_code == 200


async def stream_ended(stream: EventStream) -> None:
    async with asyncio.timeout(5):
        await stream._task  # the server closed the response


async def test_a_password_change_ends_every_session_of_the_account_and_its_streams(
    served: tuple[str, Any], registration: AsyncTestClient, sync: Callable
) -> None:
    url, _ = served
    user = await register(registration)
    await sync()
    laptop, phone = await browser(url, user["cedula"]), await browser(url, user["cedula"])
    async with EventStream(phone) as phone_stream:
        token = await csrf(laptop, "/contrasena")
        changed = await laptop.post(
            "/contrasena",
            data={
                "current_password": PASSWORD,
                "new_password": NEW_PASSWORD,
                "new_password_confirm": NEW_PASSWORD,
                "_csrf_token": token,
            },
        )
        assert changed.status_code == 303
        await stream_ended(phone_stream)
    assert not await logged_in(phone)
    assert await logged_in(laptop)  # the browser that changed it goes on, in a new session


async def test_a_request_in_flight_cannot_bring_back_a_session_that_ended(
    served: tuple[str, Any], registration: AsyncTestClient, sync: Callable, monkeypatch
) -> None:
    url, app = served
    user = await register(registration)
    await sync()
    client = await browser(url, user["cedula"])
    session_id = client.cookies[SESSION_COOKIE]
    store: PostgresSessionStore = web_services(app.state).sessions
    loaded = PostgresSessionStore.get

    async def ended_while_running(self: PostgresSessionStore, key: str, **kwargs: Any) -> Any:
        data = await loaded(self, key, **kwargs)  # the request has its session...
        await self.delete(key)  # ...and meanwhile a logout elsewhere ends it
        return data

    monkeypatch.setattr(PostgresSessionStore, "get", ended_while_running)
    response = await client.get("/inicio")
    monkeypatch.undo()
    assert response.status_code == 200  # it was served with the session it had
    assert 'censo_sesion=""' in response.headers["set-cookie"]  # and its cookie is dropped
    async with store.engine.connect() as conn:
        count = select(func.count()).where(web_sessions.c.session_id == session_id)
        assert await conn.scalar(count) == 0
    assert not await logged_in(client)


async def test_logging_out_ends_the_streams_of_that_session_only(
    served: tuple[str, Any], registration: AsyncTestClient, sync: Callable
) -> None:
    url, _ = served
    user = await register(registration)
    await sync()
    leaving, staying = await browser(url, user["cedula"]), await browser(url, user["cedula"])
    async with EventStream(leaving) as leaving_stream, EventStream(staying) as staying_stream:
        token = await csrf(leaving, "/perfil")
        assert (await leaving.post("/salir", data={"_csrf_token": token})).status_code == 303
        await stream_ended(leaving_stream)
        await asyncio.sleep(0)
        assert not staying_stream._task.done()


async def test_a_session_beyond_its_streams_is_told_why_in_spanish(
    served: tuple[str, Any], registration: AsyncTestClient, sync: Callable
) -> None:
    url, app = served
    hub = web_services(app.state).hub
    user = await register(registration)
    await sync()
    client = await browser(url, user["cedula"])
    async with EventStream(client), EventStream(client):
        refused = await client.get("/eventos", headers={"Accept": "text/event-stream"})
        assert refused.status_code == 429
        assert "Esta sesión ya tiene 2 pestañas" in refused.text
    async with asyncio.timeout(5):  # the server notices the closed tabs at its next write
        while hub.streams:
            await asyncio.sleep(0.05)
    async with EventStream(client) as again:  # a closed tab frees its place
        assert again.first_id is not None
