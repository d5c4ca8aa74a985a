"""An ADMIN's account administration through both services: the edit form on the user page
(Spanish errors next to the fields, a taken cédula refused, every change in «Historial» with old
→ new and who), a corrected cédula looked up again (the person's card PENDING, then the new
answer), and «Traspasar referidos»: the old leader loses the referrals at once (list, detail,
CSV, live updates), the new one has them, the admin page keeps who referred them first."""

from __future__ import annotations

import asyncio
import html
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.census import CensusStatus
from schemas.events import CedulaValidated, CedulaValidatedData
from services.web.app import create_app
from services.web.bootstrap import web_services
from services.web.projection.projector import Projector
from tests.integration.web.builders import project
from tests.integration.web.conftest import web_settings
from tests.integration.web.sse_client import EventStream
from tests.integration.web.support import login, register, register_admin, set_role
from tests.integration.web.test_live_updates import browser
from tests.integration.web.test_session_endings import csrf
from tests.support.accounts import new_cedula
from tests.support.events import SINCELEJO
from tests.support.serving import serving


@pytest.fixture
async def served(web_db: str, registration: AsyncTestClient) -> AsyncIterator[str]:
    app = create_app(web_settings(web_db, sse_heartbeat_s=0.5), registration_http=registration)
    async with serving(app, log_config=None, lifespan="on") as url:
        async with asyncio.timeout(20):
            await web_services(app.state).listener.ready.wait()
        yield url
        web_services(app.state).hub.close()


async def edit(web: Any, user_id: str, **fields: str) -> Any:
    token = await csrf(web, f"/admin/usuarios/{user_id}")
    page = (await web.get(f"/admin/usuarios/{user_id}")).text
    current = {
        name: html.unescape(value)
        for name in ("nombre", "telefono", "cedula", "referral_goal")
        if (value := _value_of(page, name)) is not None
    }
    return await web.post(
        f"/admin/usuarios/{user_id}/datos", data={**current, **fields, "_csrf_token": token}
    )


def _value_of(page: str, name: str) -> str | None:
    marker = f'name="{name}" type="'
    start = page.find(marker)
    if start < 0:
        return None
    value_at = page.find('value="', start) + len('value="')
    return page[value_at : page.find('"', value_at)]


def answered(user_id: str, cedula: str, request_id: UUID) -> CedulaValidated:
    return CedulaValidated(
        producer="tests",
        data=CedulaValidatedData(
            user_id=UUID(user_id),
            cedula=cedula,
            request_id=request_id,
            attempt=1,
            source="wsp",
            status=CensusStatus.ACTIVE,
            voting_place=SINCELEJO,
            fetched_at=datetime.now(UTC),
        ),
    )


async def outbox_request_for(registration_engine: AsyncEngine, user_id: str) -> UUID:
    """The person's latest ValidationRequested (sealed: keyed by their id, no cédula in clear)."""
    async with registration_engine.connect() as conn:
        found = await conn.scalar(
            text(
                "SELECT event_id FROM outbox WHERE event_type = 'ValidationRequested' "
                "AND key = :key ORDER BY id DESC LIMIT 1"
            ),
            {"key": user_id.encode()},
        )
    assert found is not None, "no ValidationRequested for the corrected cédula"
    return UUID(str(found))


async def test_an_admin_edits_a_person_and_the_history_shows_old_and_new_values(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    admin, user = await register_admin(registration), await register(registration)
    await sync()
    await login(web, admin["cedula"])

    answer = await edit(web, user["id"], nombre="Beatriz Gómez", telefono="3109998877")
    await sync()

    assert answer.status_code == 303
    page = html.unescape((await web.get(f"/admin/usuarios/{user['id']}")).text)
    assert "Datos guardados." in page and "Beatriz Gómez" in page
    assert "Datos editados por un administrador" in page
    assert "Nombre: María Fernanda Gómez → Beatriz Gómez" in page
    assert "Teléfono: 310 555 0101 → 310 999 8877" in page
    assert "Admin Campaña" in page  # who did it


async def test_invalid_values_come_back_in_spanish_next_to_their_fields(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    admin, user, other = (
        await register_admin(registration),
        await register(registration),
        await register(registration),
    )
    await sync()
    await login(web, admin["cedula"])

    bad = await edit(web, user["id"], telefono="12", referral_goal="abc")
    assert bad.status_code == 422
    assert "Meta de referidos: debe ser un número entero" in html.unescape(bad.text)
    bad_phone = await edit(web, user["id"], telefono="12")
    assert bad_phone.status_code == 422
    assert 'id="f-telefono-error">Teléfono: debe ser un celular' in html.unescape(bad_phone.text)
    taken = await edit(web, user["id"], cedula=other["cedula"])
    assert taken.status_code == 409
    assert (
        'id="f-cedula-error">Cédula: ya existe una cuenta registrada con esta cédula.'
        in html.unescape(taken.text)
    )


async def test_a_corrected_cedula_shows_pending_to_the_person_then_the_new_answer(
    web: AsyncTestClient,
    registration: AsyncTestClient,
    registration_engine: AsyncEngine,
    projector: Projector,
    sync: Callable,
) -> None:
    admin, user = await register_admin(registration), await register(registration)
    await sync()
    await project(projector, answered(user["id"], user["cedula"], UUID(int=7)))
    corrected = new_cedula()
    await login(web, admin["cedula"])

    assert (await edit(web, user["id"], cedula=corrected)).status_code == 303
    request_id = await outbox_request_for(registration_engine, user["id"])
    await sync()
    page = html.unescape((await web.get(f"/admin/usuarios/{user['id']}")).text)
    assert "Cédula corregida" in page and "la nueva se está consultando" in page

    await login(web, corrected)  # the person logs in with their corrected cédula
    card = html.unescape((await web.get("/perfil")).text)
    assert "Pendiente" in card and "IE SAN JOSE C I P" not in card  # the old answer is gone
    await project(projector, answered(user["id"], corrected, request_id))
    card = html.unescape((await web.get("/perfil")).text)
    assert "IE SAN JOSE C I P" in card and "Activo (habilitado para votar)" in card


async def test_a_hand_over_moves_the_chosen_referrals_and_the_old_leader_loses_them(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    admin = await register_admin(registration)
    old, new = await register(registration), await register(registration)
    for leader in (old, new):
        await set_role(registration, admin["id"], leader["id"], "LEADER")
    moving = await register(registration, referral_code=old["referral_code"])
    staying = await register(registration, referral_code=old["referral_code"])
    await sync()
    await login(web, admin["cedula"])

    form = (await web.get(f"/admin/usuarios/{old['id']}/traspaso")).text
    assert moving["id"] in form and new["id"] in form
    token = await csrf(web, f"/admin/usuarios/{old['id']}/traspaso")  # type: ignore[arg-type]
    nothing = await web.post(
        f"/admin/usuarios/{old['id']}/traspaso",
        data={"destino": new["id"], "alcance": "seleccionados", "_csrf_token": token},
    )
    assert nothing.status_code == 422 and "marque al menos uno" in html.unescape(nothing.text)
    answer = await web.post(
        f"/admin/usuarios/{old['id']}/traspaso",
        data={
            "destino": new["id"],
            "alcance": "seleccionados",
            "referidos": moving["id"],
            "_csrf_token": token,
        },
    )
    assert answer.status_code == 303
    await sync()

    admin_page = html.unescape((await web.get(f"/admin/usuarios/{moving['id']}")).text)
    assert "Referido originalmente por" in admin_page and "Traspasado a otro líder" in admin_page
    await login(web, old["cedula"])
    listing = (await web.get("/referidos")).text
    assert moving["id"] not in listing and staying["id"] in listing
    assert (await web.get(f"/referidos/fila/{moving['id']}")).status_code == 403
    assert moving["cedula"] not in (await web.get("/referidos.csv")).text
    await login(web, new["cedula"])
    assert moving["id"] in (await web.get("/referidos")).text


async def test_the_old_leaders_open_page_drops_the_referral_and_hears_no_more_of_it(
    served: str, registration: AsyncTestClient, projector: Projector, sync: Callable
) -> None:
    admin = await register_admin(registration)
    old, new = await register(registration), await register(registration)
    for leader in (old, new):
        await set_role(registration, admin["id"], leader["id"], "LEADER")
    moving = await register(registration, referral_code=old["referral_code"])
    await sync()
    old_browser, new_browser = (
        await browser(served, old["cedula"]),
        await browser(served, new["cedula"]),
    )
    try:
        async with EventStream(old_browser) as old_page, EventStream(new_browser) as new_page:
            answer = await registration.post(
                "/api/referrals/hand-over",
                json={"from_leader_id": old["id"], "to_leader_id": new["id"]},
                headers={"X-Actor-Id": admin["id"]},
            )
            assert answer.status_code == 200 and answer.json()["moved"] == [moving["id"]]
            await sync()
            await old_page.wait(lambda: "referrals" in old_page.names(), timeout_s=2.0)
            await new_page.wait(lambda: "referrals" in new_page.names(), timeout_s=2.0)

            await project(projector, answered(moving["id"], moving["cedula"], UUID(int=9)))
            change = f"change-{moving['id']}"
            await new_page.wait(lambda: new_page.names().count(change) >= 2, timeout_s=2.0)
            await asyncio.sleep(0.3)  # time enough for a wrong delivery to show
            assert change not in old_page.names()
    finally:
        await old_browser.aclose()
        await new_browser.aclose()
