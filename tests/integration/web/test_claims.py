"""Claims for a taken cédula on the web: /registro points to the claim form when the cédula is
taken; the public form (CSRF, Spanish errors) answers without naming the holder; admins alone
see claims (newest first, by status, a count in the menu), transfer the account (the former
holder's sessions end, the reset link is shown once with a WhatsApp chat to the claimant, and it
works) or reject with a reason."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from litestar.testing import AsyncTestClient

from tests.integration.web.support import csrf_from, login, register, register_admin
from tests.integration.web.test_password_recovery import token_in, use_link
from tests.support.accounts import PASSWORD, sign_up_form

HOLDER = "Usurpador Ejemplo Ruiz"
CLAIMANT = {"nombre": "Rosa Elena Díaz", "telefono": "3105551234", "mensaje": "Es mi cédula."}
NEW = "Ceiba-Frondosa-2026"


async def file(web: AsyncTestClient, cedula: str, **kw: str) -> Any:
    web.cookies.clear()
    token = csrf_from((await web.get("/reclamo")).text)
    return await web.post(
        "/reclamo", data={"cedula": cedula, **CLAIMANT, **kw, "_csrf_token": token}
    )


async def admin_post(web: AsyncTestClient, path: str, **data: str) -> Any:
    token = csrf_from((await web.get("/admin/reclamos")).text)
    return await web.post(path, data={**data, "_csrf_token": token})


def claim_id_of(page: str, nombre: str = "Rosa Elena Díaz") -> str:
    rows = re.findall(r'<tr data-claim="([0-9a-f-]+)">(.*?)</tr>', page, re.S)
    found = [claim_id for claim_id, row in rows if nombre in row]
    assert found, "the claim is not listed"
    return found[0]


async def test_a_taken_cedula_at_sign_up_leads_to_the_claim_form(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    holder = await register(registration, nombre=HOLDER)
    web.cookies.clear()
    token = csrf_from((await web.get("/registro")).text)
    form = sign_up_form(cedula=holder["cedula"]) | {"password_confirm": PASSWORD}
    taken = await web.post(
        "/registro", data={**form, "data_policy_accepted": "on", "_csrf_token": token}
    )
    assert taken.status_code == 409
    assert '<a href="/reclamo">¿Es su cédula? Presente un reclamo</a>' in taken.text
    fresh = await web.get("/registro")
    assert "Presente un reclamo" not in fresh.text


async def test_the_public_form_checks_csrf_and_fields_and_names_nobody(
    web: AsyncTestClient, registration: AsyncTestClient
) -> None:
    holder = await register(registration, nombre=HOLDER)
    web.cookies.clear()
    await web.get("/reclamo")
    forged = await web.post("/reclamo", data={"cedula": holder["cedula"], **CLAIMANT})
    assert forged.status_code == 403
    wrong = await file(web, "12ab", nombre="", mensaje="")
    assert wrong.status_code == 422
    assert (
        "Cédula: solo puede tener dígitos" in wrong.text
        and "Mensaje: es obligatorio." in wrong.text
    )
    filed = await file(web, holder["cedula"])
    assert filed.status_code == 200 and "Recibimos su reclamo" in filed.text
    assert HOLDER not in filed.text and "3105551234" in filed.text


async def test_only_admins_see_claims_and_a_transfer_gives_the_claimant_the_account(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    admin, holder = await register_admin(registration), await register(registration, nombre=HOLDER)
    await file(web, holder["cedula"])
    await sync()

    await login(web, holder["cedula"])
    holder_cookies = dict(web.cookies)
    listed = await web.get("/admin/reclamos")
    assert listed.status_code == 403 and "Rosa Elena" not in listed.text

    await login(web, admin["cedula"])
    page = await web.get("/admin/reclamos")
    assert page.status_code == 200 and HOLDER in page.text and "Es mi cédula." in page.text
    assert 'hx-get="/admin/reclamos/aviso"' in page.text
    badge = await web.get("/admin/reclamos/aviso")
    assert re.search(r'nav__count"[^>]*>\d+<', badge.text)
    claim_id = claim_id_of(page.text)

    shown = await admin_post(web, f"/admin/reclamos/{claim_id}/transferir")
    assert shown.status_code == 200 and shown.headers["cache-control"] == "no-store"
    token = token_in(shown)
    whatsapp = re.search(r'href="(https://wa\.me/573105551234\?text=[^"]+)"', shown.text)
    assert whatsapp and token in unquote(html.unescape(whatsapp.group(1)))
    await sync()
    transferred = await web.get("/admin/reclamos?estado=transferido")
    assert claim_id in transferred.text and "Admin Campaña" in transferred.text
    account = await web.get(f"/admin/usuarios/{holder['id']}")
    title = re.search(r'<h1 class="page__title">([^<]*)', account.text)
    assert title and title.group(1).strip() == "Rosa Elena Díaz"  # (the history keeps the old)

    web.cookies.clear()
    web.cookies.update(holder_cookies)
    assert (await web.get("/inicio")).status_code == 303  # the former holder's session ended
    assert (await login(web, holder["cedula"])).status_code != 303  # nor can they log in
    assert (await use_link(web, token, NEW)).status_code == 200
    assert (await login(web, holder["cedula"], NEW)).status_code == 303


async def test_an_admin_rejects_a_claim_with_a_reason(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    admin, holder = await register_admin(registration), await register(registration, nombre=HOLDER)
    await file(web, holder["cedula"], nombre="Impostor Tercero")
    await sync()
    await login(web, admin["cedula"])
    claim_id = claim_id_of((await web.get("/admin/reclamos")).text, "Impostor Tercero")

    empty = await admin_post(web, f"/admin/reclamos/{claim_id}/rechazar", motivo=" ")
    assert empty.status_code == 303
    assert "Motivo: es obligatorio." in (await web.get("/admin/reclamos")).text
    done = await admin_post(web, f"/admin/reclamos/{claim_id}/rechazar", motivo="Sin pruebas.")
    assert done.status_code == 303
    await sync()
    rejected = await web.get("/admin/reclamos?estado=rechazado")
    assert "Reclamo rechazado" in rejected.text and "Motivo: Sin pruebas." in rejected.text
    again = await admin_post(web, f"/admin/reclamos/{claim_id}/transferir")
    assert again.status_code == 303
    assert "Este reclamo ya fue resuelto." in (await web.get("/admin/reclamos")).text
    assert (await login(web, holder["cedula"])).status_code == 303  # the account stays
