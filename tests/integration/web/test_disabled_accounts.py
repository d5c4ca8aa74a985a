"""Disabled accounts on the web: an ADMIN disables one from its admin page (with a confirm), every
session of it ends once the projector has the UserDisabled (its open /eventos stream too, and its
next page goes to the login), a session that slipped past the ending (a login or a request in
flight) does not last, the login says in Spanish that the account is disabled (only with the right
password), the admin lists show it and filter by it, and the registration API's 409 for the last
active ADMIN shows as an alert."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator, Callable
from typing import Any
from uuid import UUID

import httpx
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update

from services.web.adapters.tables import users, web_sessions
from services.web.app import create_app
from services.web.auth.session_store import PostgresSessionStore, end_sessions_of
from services.web.bootstrap import web_services
from tests.integration.web.conftest import web_settings
from tests.integration.web.sse_client import EventStream
from tests.integration.web.support import login, post_form, register, register_admin
from tests.integration.web.test_live_updates import browser
from tests.integration.web.test_session_endings import csrf, logged_in, stream_ended

DISABLED = "Esta cuenta está desactivada. Comuníquese con la campaña."
LAST_ADMIN = "Esta cuenta es la única de administrador activa"


async def set_state(client: httpx.AsyncClient | AsyncTestClient, user_id: str, action: str) -> Any:
    token = await csrf(client, f"/admin/usuarios/{user_id}")  # type: ignore[arg-type]
    return await client.post(
        f"/admin/usuarios/{user_id}/estado", data={"accion": action, "_csrf_token": token}
    )


async def test_disabling_ends_every_session_and_open_stream_and_the_next_page_is_the_login(
    served: tuple[str, Any], registration: AsyncTestClient, sync: Callable
) -> None:
    url, app = served
    admin, user = await register_admin(registration), await register(registration)
    await sync()
    boss = await browser(url, admin["cedula"])
    laptop, phone = await browser(url, user["cedula"]), await browser(url, user["cedula"])
    async with EventStream(phone) as phone_stream, EventStream(laptop) as laptop_stream:
        answer = await set_state(boss, user["id"], "desactivar")
        assert answer.status_code == 303
        await sync()  # the projector: read model, sessions ended, streams told
        await stream_ended(phone_stream)
        await stream_ended(laptop_stream)
    for client in (laptop, phone):
        page = await client.get("/inicio")
        assert page.status_code == 303 and page.headers["location"].startswith("/ingresar")
    async with web_services(app.state).engine.connect() as conn:
        owned = select(func.count()).where(web_sessions.c.user_id == UUID(user["id"]))
        assert await conn.scalar(owned) == 0
    assert await logged_in(boss)  # the admin's own session is untouched


async def test_the_admin_page_offers_disable_with_a_confirm_then_enable(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    admin, user = await register_admin(registration), await register(registration)
    await sync()
    await login(web, admin["cedula"])
    page = (await web.get(f"/admin/usuarios/{user['id']}")).text
    assert 'name="accion" value="desactivar"' in page and "hx-confirm" in page
    assert ">Desactivar</button>" in page

    assert (await set_state(web, user["id"], "desactivar")).status_code == 303
    await sync()
    page = (await web.get(f"/admin/usuarios/{user['id']}")).text
    assert "Cuenta desactivada" in page  # the flash
    assert "Desactivada desde el" in page and ">Activar</button>" in page

    assert (await set_state(web, user["id"], "activar")).status_code == 303
    await sync()
    page = (await web.get(f"/admin/usuarios/{user['id']}")).text
    assert "Cuenta activada" in page and ">Desactivar</button>" in page


async def test_an_unknown_action_changes_nothing(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    admin, user = await register_admin(registration), await register(registration)
    await sync()
    await login(web, admin["cedula"])
    assert (await set_state(web, user["id"], "borrar")).status_code == 303
    assert "Acción no válida" in (await web.get(f"/admin/usuarios/{user['id']}")).text


async def test_the_login_says_the_account_is_disabled_only_with_the_right_password(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    admin, user = await register_admin(registration), await register(registration)
    await sync()
    await login(web, admin["cedula"])
    await set_state(web, user["id"], "desactivar")
    await sync()

    wrong = await login(web, user["cedula"], "Otra-Clave-2026!")
    right = await login(web, user["cedula"])

    assert wrong.status_code == 401 and "desactivada" not in wrong.text
    assert right.status_code == 403 and DISABLED in html.unescape(right.text)
    assert "censo_sesion" not in web.cookies


async def test_admin_lists_show_disabled_accounts_and_filter_by_them(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    admin = await register_admin(registration)
    off, on = await register(registration), await register(registration)
    await sync()
    await login(web, admin["cedula"])
    await set_state(web, off["id"], "desactivar")
    await sync()

    disabled = (await web.get("/admin", params={"cuenta": "desactivadas"})).text
    active = (await web.get("/admin", params={"cuenta": "activas"})).text
    row = (await web.get(f"/admin/fila/{off['id']}")).text

    assert off["id"] in disabled and on["id"] not in disabled
    assert on["id"] in active and off["id"] not in active
    assert ">Desactivada</span>" in row
    assert 'value="desactivadas" selected' in disabled


async def test_a_session_started_after_the_sessions_were_ended_does_not_last(
    served: tuple[str, Any], registration: AsyncTestClient, sync: Callable, monkeypatch
) -> None:
    """A login verified just before the account was disabled stores its session just after the
    projector ended the others: the next request finds the account disabled and ends it."""
    url, _ = served
    user = await register(registration)
    await sync()
    started = PostgresSessionStore.start

    async def disabled_meanwhile(self: PostgresSessionStore, key: str, *args: Any) -> None:
        async with self.engine.begin() as conn:  # what projecting a UserDisabled does
            mine = users.c.user_id == UUID(user["id"])
            await conn.execute(update(users).where(mine).values(disabled_at=func.now()))
            await end_sessions_of(conn, UUID(user["id"]))
        await started(self, key, *args)

    monkeypatch.setattr(PostgresSessionStore, "start", disabled_meanwhile)
    client = await browser(url, user["cedula"])
    monkeypatch.undo()
    page = await client.get("/perfil")
    assert page.status_code == 303 and page.headers["location"].startswith("/ingresar")
    assert not await logged_in(client)
    refused = await client.get("/eventos", headers={"Accept": "text/event-stream"})
    assert refused.status_code == 401


async def test_a_request_in_flight_when_the_account_is_disabled_cannot_keep_the_session(
    served: tuple[str, Any], registration: AsyncTestClient, sync: Callable, monkeypatch
) -> None:
    url, _ = served
    user = await register(registration)
    await sync()
    client = await browser(url, user["cedula"])
    kept = PostgresSessionStore.keep

    async def disabled_meanwhile(self: PostgresSessionStore, key: str, *args: Any) -> bool:
        async with self.engine.begin() as conn:
            await end_sessions_of(conn, UUID(user["id"]))
        return await kept(self, key, *args)

    monkeypatch.setattr(PostgresSessionStore, "keep", disabled_meanwhile)
    response = await client.get("/perfil")
    monkeypatch.undo()
    assert response.status_code == 200  # served with the session it had...
    assert 'censo_sesion=""' in response.headers["set-cookie"]  # ...which stays ended
    assert not await logged_in(client)


@pytest.fixture
async def last_admin_web(
    web_db: str, registration: AsyncTestClient
) -> AsyncIterator[AsyncTestClient]:
    """The web app whose registration API answers every role or state change with its 409 for
    the last active ADMIN (this suite's database has many admins); the rest goes through."""

    async def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT" and request.url.path.endswith(("/state", "/role")):
            detail = f"{LAST_ADMIN}: no se le puede quitar el rol ni desactivarla."
            return httpx.Response(409, json={"status_code": 409, "detail": detail, "errors": []})
        return await registration.request(
            request.method, request.url.path, content=request.content, headers=request.headers
        )

    proxy = httpx.AsyncClient(transport=httpx.MockTransport(answer), base_url="http://reg.test")
    app = create_app(web_settings(web_db), registration_http=proxy)
    async with AsyncTestClient(app=app, base_url="http://web.test") as client:
        client.follow_redirects = False
        yield client


async def test_the_last_admin_refusal_shows_as_an_alert_for_disabling_and_demoting(
    last_admin_web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    web = last_admin_web
    admin = await register_admin(registration)
    await sync()
    await login(web, admin["cedula"])

    disabled = await set_state(web, admin["id"], "desactivar")
    after_disable = await web.get(f"/admin/usuarios/{admin['id']}")
    demoted = await post_form(web, f"/admin/usuarios/{admin['id']}/rol", {"role": "USER"})
    after_demote = await web.get(f"/admin/usuarios/{admin['id']}")

    assert disabled.status_code == demoted.status_code == 303
    for page in (after_disable, after_demote):
        assert LAST_ADMIN in html.unescape(page.text) and "alert--error" in page.text
