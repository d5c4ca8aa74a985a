"""Password recovery on the web: an ADMIN (or a LEADER, for a direct referral) makes a one-time
link shown once with «Copiar» and a WhatsApp link; the person opens it without logging in, sets a
new password (CSRF, the sign-up's rules) and every session of theirs ends; a used, unknown or
expired link gets one Spanish page and one status; a disabled account is told so; an ADMIN's
temporary password sends its next login to «Cambiar contraseña» before anything else."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import httpx
from litestar.testing import AsyncTestClient

from tests.integration.web.support import (
    csrf_from,
    csrf_token,
    login,
    post_form,
    register,
    register_admin,
    set_role,
)
from tests.integration.web.test_live_updates import browser
from tests.integration.web.test_session_endings import logged_in
from tests.support.accounts import PASSWORD

NEW = "Ceiba-Frondosa-2026"
INVALID = "Este enlace para restablecer la contraseña ya no es válido."
ASK_AGAIN = "Pida a la campaña un enlace nuevo."
LINK = re.compile(r'value="(https://censo\.example\.co/restablecer/([\w-]+))"')


async def make_link(web: AsyncTestClient, user_id: str) -> Any:
    """What the «Crear enlace» button does, from its confirm page."""
    token = csrf_from((await web.get(f"/usuarios/{user_id}/restablecer")).text)
    return await web.post(f"/usuarios/{user_id}/restablecer", data={"_csrf_token": token})


def token_in(page: Any) -> str:
    match = LINK.search(page.text)
    assert match, "no reset link on the page"
    return match.group(2)


async def use_link(web: AsyncTestClient, token: str, password: str = NEW, **extra: str) -> Any:
    web.cookies.clear()
    csrf = await csrf_token(web)
    data = {"new_password": password, "new_password_confirm": password, "_csrf_token": csrf}
    return await web.post(f"/restablecer/{token}", data=data | extra)


async def test_an_admin_link_is_shown_once_with_copy_and_whatsapp_and_works_once(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    admin, user = await register_admin(registration), await register(registration)
    await sync()
    await login(web, admin["cedula"])
    confirm = await web.get(f"/usuarios/{user['id']}/restablecer")
    assert confirm.status_code == 200 and "María Fernanda Gómez" in confirm.text

    shown = await make_link(web, user["id"])
    assert shown.status_code == 200 and shown.headers["cache-control"] == "no-store"
    assert 'data-copy="#enlace-restablecer"' in shown.text and ">Copiar<" in shown.text
    token = token_in(shown)
    whatsapp = re.search(r'href="(https://wa\.me/\?text=[^"]+)"', shown.text)
    assert whatsapp and "Hola María" in unquote(html.unescape(whatsapp.group(1)))
    assert token in unquote(html.unescape(whatsapp.group(1)))

    opened = await (web.cookies.clear() or web.get(f"/restablecer/{token}"))
    assert opened.status_code == 200 and "Contraseña nueva" in opened.text
    assert opened.headers["referrer-policy"] == "no-referrer"
    done = await use_link(web, token)
    assert done.status_code == 200 and "Contraseña restablecida" in done.text
    assert (await login(web, user["cedula"], NEW)).status_code == 303

    again = await use_link(web, token, "Otra-Clave-Segura-1")
    reopened = await (web.cookies.clear() or web.get(f"/restablecer/{token}"))
    for page in (again, reopened):
        assert page.status_code == 410 and INVALID in page.text and ASK_AGAIN in page.text
    assert (await login(web, user["cedula"], NEW)).status_code == 303


async def test_dead_links_of_every_kind_answer_alike(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    admin, user = await register_admin(registration), await register(registration)
    await sync()
    await login(web, admin["cedula"])
    replaced = token_in(await make_link(web, user["id"]))
    token_in(await make_link(web, user["id"]))  # a newer link voids the first
    web.cookies.clear()
    pages = [await web.get(f"/restablecer/{t}") for t in (replaced, "inventado", "a" * 300)]
    assert {page.status_code for page in pages} == {410}
    assert len({re.sub(r'name="_csrf_token" value="[^"]+"', "", p.text) for p in pages}) == 1


async def test_a_leader_makes_links_for_own_referrals_only_and_a_user_never(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    admin, leader = await register_admin(registration), await register(registration)
    await set_role(registration, admin["id"], leader["id"], "LEADER")
    mine = await register(registration, referral_code=leader["referral_code"], nombre="Ana Mía")
    other = await register(registration, nombre="Pedro Ajeno Ruiz")
    await sync()

    await login(web, leader["cedula"])
    referrals = await web.get("/referidos")
    assert f'href="/usuarios/{mine["id"]}/restablecer"' in referrals.text
    assert (await make_link(web, mine["id"])).status_code == 200
    page = await web.get(f"/usuarios/{other['id']}/restablecer")
    refused = await post_form(web, f"/usuarios/{other['id']}/restablecer", {})
    for answer in (page, refused):
        assert answer.status_code == 403 and "Pedro" not in answer.text

    await login(web, mine["cedula"])
    assert (await post_form(web, f"/usuarios/{other['id']}/restablecer", {})).status_code == 403


async def test_the_reset_form_needs_csrf_and_follows_the_password_rules(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    admin, user = await register_admin(registration), await register(registration)
    await sync()
    await login(web, admin["cedula"])
    token = token_in(await make_link(web, user["id"]))

    web.cookies.clear()
    await web.get("/ingresar")
    forged = await web.post(
        f"/restablecer/{token}", data={"new_password": NEW, "new_password_confirm": NEW}
    )
    weak = await use_link(web, token, "12345678")
    mismatch = await use_link(web, token, NEW, new_password_confirm="Distinta-2026")
    assert forged.status_code == 403
    assert weak.status_code == 422 and "no puede tener solo números" in weak.text
    assert mismatch.status_code == 422 and "no coincide" in mismatch.text
    assert (await use_link(web, token)).status_code == 200  # still unused until it works


async def test_a_disabled_account_is_told_its_link_cannot_be_used(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    admin, user = await register_admin(registration), await register(registration)
    await sync()
    await login(web, admin["cedula"])
    token = token_in(await make_link(web, user["id"]))
    await post_form(web, f"/admin/usuarios/{user['id']}/estado", {"accion": "desactivar"})

    web.cookies.clear()
    page = await web.get(f"/restablecer/{token}")
    used = await use_link(web, token)
    for answer in (page, used):
        assert answer.status_code == 403 and "Esta cuenta está desactivada" in answer.text


async def test_a_temporary_password_must_be_changed_before_anything_else(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    admin, user = await register_admin(registration), await register(registration)
    await sync()
    await login(web, admin["cedula"])
    admin_page = await web.get(f"/admin/usuarios/{user['id']}")
    assert "Contraseña temporal" in admin_page.text and "Crear enlace" in admin_page.text
    path = f"/admin/usuarios/{user['id']}/contrasena-temporal"
    weak = await post_form(web, path, {"password_temporal": "123"})
    shown = (await web.get(weak.headers["location"])).text
    assert "Contraseña: debe tener al menos 8 caracteres." in shown
    done = await post_form(web, path, {"password_temporal": "Temporal-Campana-7"})
    assert "Contraseña temporal asignada" in (await web.get(done.headers["location"])).text

    assert (await login(web, user["cedula"], PASSWORD)).status_code == 401
    answer = await login(web, user["cedula"], "Temporal-Campana-7")
    assert answer.status_code == 303 and answer.headers["location"] == "/contrasena"
    for path in ("/inicio", "/perfil", "/referidos"):
        page = await web.get(path)
        assert page.status_code == 303 and page.headers["location"] == "/contrasena"
    forced = await web.get("/contrasena")
    assert forced.status_code == 200 and "Su contraseña es temporal" in forced.text
    changed = await web.post(
        "/contrasena",
        data={
            "current_password": "Temporal-Campana-7",
            "new_password": NEW,
            "new_password_confirm": NEW,
            "_csrf_token": csrf_from(forced.text),
        },
    )
    assert changed.status_code == 303
    assert (await web.get("/inicio")).status_code == 200
    assert (await login(web, user["cedula"], NEW)).headers["location"] == "/inicio"


async def test_using_a_link_ends_every_session_of_that_person(
    served: tuple[str, Any], registration: AsyncTestClient, sync: Callable
) -> None:
    url, _ = served
    admin, user = await register_admin(registration), await register(registration)
    await sync()
    boss = await browser(url, admin["cedula"])
    laptop, phone = await browser(url, user["cedula"]), await browser(url, user["cedula"])
    page = await boss.get(f"/usuarios/{user['id']}/restablecer")
    shown = await boss.post(
        f"/usuarios/{user['id']}/restablecer", data={"_csrf_token": csrf_from(page.text)}
    )
    token = token_in(shown)

    async with httpx.AsyncClient(base_url=url) as stranger:
        form = await stranger.get(f"/restablecer/{token}")
        data = {"new_password": NEW, "new_password_confirm": NEW}
        done = await stranger.post(
            f"/restablecer/{token}", data=data | {"_csrf_token": csrf_from(form.text)}
        )
    assert done.status_code == 200
    for client in (laptop, phone):
        assert not await logged_in(client)
    assert await logged_in(boss)
