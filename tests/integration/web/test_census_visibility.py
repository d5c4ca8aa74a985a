"""Whose census each role sees and may refresh: USER their own, LEADER their direct referrals,
ADMIN everyone (with the raw response); refusals look the same whether the user exists or not."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.census import CensusStatus
from services.web.projection.projector import Projector
from tests.integration.web.builders import answered, project, referral
from tests.integration.web.support import (
    htmx_post,
    login,
    register,
    register_admin,
    set_role,
)


async def _leader_with_referrals(registration: AsyncTestClient, sync: Callable):  # type: ignore[no-untyped-def]
    admin = await register_admin(registration)
    leader = await register(registration)
    await set_role(registration, admin["id"], leader["id"], "LEADER")
    referral_ = await register(registration, referral_code=leader["referral_code"])
    indirect = await register(registration, referral_code=referral_["referral_code"])
    stranger = await register(registration)
    await sync()
    return admin, leader, referral_, indirect, stranger


async def test_a_user_cannot_see_someone_elses_census(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    me = await register(registration)
    other = await register(registration)
    await sync()
    await login(web, me["cedula"])
    assert (await web.get(f"/censo/{me['id']}")).status_code == 200
    theirs = await web.get(f"/censo/{other['id']}")
    nobody = await web.get(f"/censo/{uuid4()}")
    assert theirs.status_code == nobody.status_code == 403
    assert theirs.text == nobody.text  # nothing tells whether the user exists
    assert other["cedula"] not in theirs.text


async def test_a_leader_sees_the_census_of_direct_referrals_only(
    web: AsyncTestClient,
    registration: AsyncTestClient,
    sync: Callable,
    projector: Projector,
) -> None:
    _, leader, referral_, indirect, stranger = await _leader_with_referrals(registration, sync)
    await login(web, leader["cedula"])
    page = (await web.get("/referidos")).text
    assert referral_["nombre"] in page and 'data-status="PENDING"' in page
    assert f"/referidos/fila/{referral_['id']}" in page
    assert (await web.get(f"/censo/{referral_['id']}")).status_code == 200
    for someone in (indirect, stranger):
        assert (await web.get(f"/censo/{someone['id']}")).status_code == 403
        assert (await web.get(f"/referidos/fila/{someone['id']}")).status_code == 403


async def test_a_leader_refreshes_a_referral_but_not_someone_elses(
    web: AsyncTestClient,
    registration: AsyncTestClient,
    registration_engine: AsyncEngine,
    sync: Callable,
) -> None:
    _, leader, referral_, indirect, _ = await _leader_with_referrals(registration, sync)
    await login(web, leader["cedula"])
    ok = await htmx_post(web, f"/censo/{referral_['id']}/actualizar")
    assert ok.status_code == 202 and "Verificación solicitada" in ok.text
    assert ok.headers["HX-Retarget"] == "#alerts"
    refused = await htmx_post(web, f"/censo/{indirect['id']}/actualizar")
    assert refused.status_code == 403
    assert "No tiene permiso para esta acción." in refused.text
    async with registration_engine.connect() as conn:
        requested = await conn.scalar(
            text(
                "SELECT count(*) FROM outbox WHERE event_type = 'ValidationRequested' AND key = :k"
            ),
            {"k": indirect["cedula"].encode()},
        )
    assert requested == 0


async def test_a_regular_user_has_no_census_or_refresh_for_referrals(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    user = await register(registration)
    referral_ = await register(registration, referral_code=user["referral_code"])
    await sync()
    await login(web, user["cedula"])
    page = (await web.get("/referidos")).text
    assert referral_["nombre"] in page  # the list, as the old portal showed it
    assert "data-status" not in page and "Actualizar seleccionados" not in page
    assert f"/censo/{referral_['id']}/actualizar" not in page
    assert (await htmx_post(web, f"/censo/{referral_['id']}/actualizar")).status_code == 403
    forced = await htmx_post(web, "/referidos/actualizar", {"user_ids": referral_["id"]})
    assert forced.status_code == 403


async def test_admin_pages_are_for_admins_only(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    _, leader, referral_, _, _ = await _leader_with_referrals(registration, sync)
    await login(web, leader["cedula"])
    for path in ("/admin", f"/admin/usuarios/{referral_['id']}", f"/admin/fila/{referral_['id']}"):
        response = await web.get(path)
        assert response.status_code == 403 and "No tiene permiso" in response.text


async def test_an_admin_sees_anyones_census_with_its_raw_response(
    web: AsyncTestClient,
    registration: AsyncTestClient,
    sync: Callable,
    projector: Projector,
) -> None:
    admin = await register_admin(registration)
    someone = referral(None, nombre="Pedro Pablo León")
    await project(projector, someone, answered(someone, CensusStatus.TIMEOUT))
    await login(web, admin["cedula"])
    page = (await web.get(f"/admin/usuarios/{someone.data.user_id}")).text
    assert "Pedro Pablo León" in page and "Tiempo agotado" in page
    assert "&lt;html&gt;respuesta cruda&lt;/html&gt;" in page
    assert "Próximo intento automático" in page
    assert (await web.get(f"/admin/usuarios/{uuid4()}")).status_code == 404
    listing = (await web.get("/admin?busqueda=pedro+pablo")).text
    assert "Pedro Pablo León" in listing


async def test_an_admin_changes_a_role_from_the_page(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    admin = await register_admin(registration)
    user = await register(registration)
    await sync()
    await login(web, admin["cedula"])
    page = await web.get(f"/admin/usuarios/{user['id']}")
    token = page.text.split('name="_csrf_token" value="')[1].split('"')[0]
    response = await web.post(
        f"/admin/usuarios/{user['id']}/rol", data={"role": "LEADER", "_csrf_token": token}
    )
    assert response.status_code == 303
    await sync()
    after = (await web.get(f"/admin/usuarios/{user['id']}")).text
    assert "Rol cambiado a Líder." in after
    await login(web, user["cedula"])
    assert "Actualizar seleccionados" not in (await web.get("/referidos")).text  # no referrals yet
    assert (await htmx_post(web, "/referidos/actualizar")).status_code == 422  # but allowed
