"""Deleting an account on the web (Ley 1581): the person from their profile after typing the
confirmation, an ADMIN from the user's page; the read model then shows «Cuenta eliminada» with
no phone nor cédula, the referral stays under its leader, and the person's session is over."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.web.adapters.tables import census_status, users
from tests.integration.web.support import csrf_from, login, register, register_admin


async def delete_own(web: AsyncTestClient, confirmation: str) -> object:
    token = csrf_from((await web.get("/perfil/eliminar")).text)
    data = {"confirmacion": confirmation, "_csrf_token": token}
    return await web.post("/perfil/eliminar", data=data)


async def shown(engine: AsyncEngine, user_id: str) -> object:
    async with engine.connect() as conn:
        query = select(users.c.nombre, users.c.telefono, users.c.cedula, users.c.referrer_id)
        return (await conn.execute(query.where(users.c.user_id == UUID(user_id)))).one()


async def test_a_person_deletes_their_account_from_the_profile_after_confirming(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable, web_engine: AsyncEngine
) -> None:
    leader = await register(registration)
    person = await register(registration, referral_code=leader["referral_code"])
    await sync()
    await login(web, person["cedula"])
    assert "Eliminar mi cuenta" in (await web.get("/perfil")).text
    refused = await delete_own(web, "no")
    assert refused.status_code == 422 and "Escriba ELIMINAR" in refused.text  # type: ignore[attr-defined]
    done = await delete_own(web, "eliminar")
    assert done.status_code == 303 and done.headers["location"] == "/ingresar"  # type: ignore[attr-defined]
    await sync()
    row = await shown(web_engine, person["id"])
    assert row.nombre == "Cuenta eliminada" and row.telefono == ""  # type: ignore[attr-defined]
    assert row.cedula != person["cedula"] and row.referrer_id == UUID(leader["id"])  # type: ignore[attr-defined]
    async with web_engine.connect() as conn:
        left = await conn.execute(
            select(census_status).where(census_status.c.user_id == UUID(person["id"]))
        )
        assert left.first() is None
    assert (await web.get("/perfil")).status_code == 303  # logged out


async def test_an_admin_deletes_an_account_from_its_page(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable, web_engine: AsyncEngine
) -> None:
    admin, person = await register_admin(registration), await register(registration)
    await sync()
    await login(web, admin["cedula"])
    page = (await web.get(f"/admin/usuarios/{person['id']}")).text
    assert f'action="/admin/usuarios/{person["id"]}/eliminar"' in page and "hx-confirm" in page
    token = csrf_from(page)
    answer = await web.post(f"/admin/usuarios/{person['id']}/eliminar", data={"_csrf_token": token})
    assert answer.status_code == 303
    await sync()
    assert (await shown(web_engine, person["id"])).nombre == "Cuenta eliminada"  # type: ignore[attr-defined]
    after = (await web.get(f"/admin/usuarios/{person['id']}")).text
    assert "Esta cuenta fue eliminada" in after
    assert "/eliminar" not in after and "/estado" not in after and "/datos" not in after
    assert person["cedula"] not in after and "x" + UUID(person["id"]).hex not in after
    # The registration API refuses reviving it, whatever the page offers.
    token = csrf_from(after)
    enable = {"accion": "activar", "_csrf_token": token}
    await web.post(f"/admin/usuarios/{person['id']}/estado", data=enable)
    await sync()
    async with web_engine.connect() as conn:
        query = select(users.c.disabled_at).where(users.c.user_id == UUID(person["id"]))
        assert (await conn.execute(query)).scalar_one() is not None
