"""The dashboard in real Chromium, on the whole running system: sign-up through a referral link,
the census badge changing live (server-sent events, no reload), an admin making a leader, the
leader's refresh controls, a regular user refused when forcing a leader's action, a password
reset link an admin makes and the person uses, and a claim for a taken cédula that an admin
transfers to the claimant."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from infra.registraduria_sim import outcome_for
from infra.registraduria_sim.outcome import OutcomeKind
from tests.support.chromium import launched_chromium
from tests.support.processes import CENSO
from tests.support.stack import Stack

pytestmark = pytest.mark.e2e

PASSWORD = "Girasol-Azul-2026"
ADMIN_PASSWORD = "Coordinacion-2026"
_candidates = itertools.count(52_000_101, 7919)


def found_cedula() -> str:
    """A cédula the simulator finds in the census (so it ends ACTIVE)."""
    for candidate in map(str, _candidates):
        if outcome_for(candidate).kind is OutcomeKind.FOUND:
            return candidate
    raise AssertionError("unreachable")


@pytest.fixture
async def dashboard_stack(stack_env: dict[str, str], tmp_path: Path) -> AsyncIterator[Stack]:
    """Lookups slow enough (the captcha takes 4 s) for a page to see PENDING before the answer, and
    no reuse of recent answers, so a refresh is a real new lookup."""
    env = stack_env | {
        "SIM_CAPTCHA_SOLVE_MS": "4000",
        "CENSUS_FRESH_FOR": "0",
        "WORKER_MIN_INTERVAL_S": "0.5",
    }
    stack = Stack(env, tmp_path)
    await stack.start_groups_at_end()
    try:
        stack.start_all()
        yield stack
    finally:
        stack.stop_all()


@pytest.fixture
async def chromium() -> AsyncIterator[Browser]:
    # Round trips cross four processes on a shared, busy machine: more patience than 5 s.
    expect.set_options(timeout=20_000)
    async with launched_chromium() as browser:
        yield browser


def register_by_api(stack: Stack, **fields: Any) -> dict[str, Any]:
    body = {
        "cedula": found_cedula(),
        "nombre": "Carolina Restrepo Díaz",
        "telefono": "3104445566",
        "password": PASSWORD,
        "data_policy_accepted": True,
    } | fields
    response = httpx.post(
        stack.url("registration", "/api/users"),
        json=body,
        headers={"authorization": f"Bearer {stack.env['REGISTRATION_SERVICE_TOKEN']}"},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return response.json()


def create_admin(stack: Stack, cedula: str) -> None:
    """As an operator does it: `censo admin create`, the password from the environment."""
    options = {"--cedula": cedula, "--nombre": "Coordinadora General", "--telefono": "3001112233"}
    subprocess.run(
        [CENSO, "admin", "create", *itertools.chain(*options.items())],
        env={**os.environ, **stack.env, "CENSO_ADMIN_PASSWORD": ADMIN_PASSWORD},
        check=True,
        capture_output=True,
        timeout=60,
    )


async def log_in(page: Page, stack: Stack, cedula: str, password: str = PASSWORD) -> None:
    await page.goto(stack.url("web", "/ingresar"))
    await page.fill("#f-cedula", cedula)
    await page.fill("#f-password", password)
    await page.check("input[name=recordarme]")
    await page.click("form[action='/ingresar'] button[type=submit]")
    await page.wait_for_url("**/inicio")


RECORD_STATUSES = """(selector) => {
  window.__sinRecargar = true;
  window.__estados = [];
  const note = () => document.querySelectorAll(selector).forEach(
    (el) => window.__estados.push(el.dataset.status));
  note();
  new MutationObserver(note).observe(document.querySelector("main"),
    {subtree: true, childList: true, attributes: true});
}"""


def csp_violations(page: Page) -> list[str]:
    """What the browser refused under the site's Content-Security-Policy, as it happens."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


async def test_sign_up_by_referral_link_then_watch_the_census_turn_active_live(
    dashboard_stack: Stack, chromium: Browser
) -> None:
    stack = dashboard_stack
    leader = register_by_api(stack)
    page = await chromium.new_page()
    refused = csp_violations(page)

    await page.goto(stack.url("web", f"/registro?ref={leader['referral_code']}"))
    assert await page.input_value("#f-referral_code") == leader["referral_code"]
    cedula = found_cedula()
    await page.fill("#f-nombre", "Luisa Fernanda Ríos")
    await page.fill("#f-cedula", cedula)
    await page.fill("#f-telefono", "3157778899")
    await page.fill("#f-password", PASSWORD)
    await page.fill("#f-password_confirm", PASSWORD)
    await page.check("#f-data_policy_accepted")
    await page.click("form[action='/registro'] button[type=submit]")
    await page.wait_for_url("**/inicio")
    await expect(page.locator(".alert--success")).to_contain_text("¡Bienvenido!")

    await page.click("form.logout button")
    await page.wait_for_url("**/ingresar?salida=true")
    await log_in(page, stack, cedula)
    await page.goto(stack.url("web", "/perfil"))
    await page.evaluate(RECORD_STATUSES, ".census__status")
    first = await page.get_attribute(".census__status", "data-status")
    assert first in ("PENDING", "PROCESSING"), first

    await expect(page.locator('.census__status[data-status="ACTIVE"]')).to_be_visible(
        timeout=45_000
    )
    assert await page.evaluate("window.__sinRecargar") is True  # no reload happened
    await expect(page.locator(".census .badge")).to_have_text("Activo (habilitado para votar)")
    await expect(page.locator(".census dl.facts")).to_contain_text("Mesa")

    # Ley 1581: the person downloads their data, census answer included, from their profile.
    async with page.expect_download() as downloading:
        await page.click("a[href='/perfil/mis-datos.json']")
    download = await downloading.value
    mine = json.loads(Path(await download.path()).read_text(encoding="utf-8"))
    assert cedula in json.dumps(mine) and "Luisa Fernanda Ríos" in json.dumps(
        mine, ensure_ascii=False
    )
    assert "ACTIVE" in json.dumps(mine)

    leader_page = await (await chromium.new_context()).new_page()
    refused_leader = csp_violations(leader_page)
    await log_in(leader_page, stack, leader["cedula"])
    await expect(leader_page.locator(".summary__count")).to_contain_text("1 de 10 referidos")
    assert refused == refused_leader == []  # htmx and its live extension run under the policy


async def test_a_leader_refreshes_referrals_and_a_regular_user_cannot(
    dashboard_stack: Stack, chromium: Browser
) -> None:
    stack = dashboard_stack
    admin_cedula = found_cedula()
    create_admin(stack, admin_cedula)
    leader = register_by_api(stack, nombre="Carolina Restrepo Díaz")
    referrals = [
        register_by_api(stack, nombre=name, referral_code=leader["referral_code"])
        for name in ("Ana María Pérez", "José Núñez Ortiz")
    ]

    admin = await (await chromium.new_context()).new_page()
    await log_in(admin, stack, admin_cedula, ADMIN_PASSWORD)
    await admin.goto(stack.url("web", f"/admin?busqueda={leader['cedula']}"))
    await admin.click("text=Carolina Restrepo Díaz")
    await admin.select_option("#f-role", "LEADER")
    await admin.click("form.role-form button[type=submit]")
    await expect(admin.locator(".alert--success")).to_contain_text("Rol cambiado a Líder.")

    page = await (await chromium.new_context()).new_page()
    await log_in(page, stack, leader["cedula"])
    await page.goto(stack.url("web", "/referidos"))
    rows = page.locator("#referidos-tabla tbody tr")
    await expect(rows).to_have_count(2)
    await expect(page.locator('#referidos-tabla td[data-status="ACTIVE"]')).to_have_count(
        2, timeout=45_000
    )

    first_row = f"#ref-{referrals[0]['id']}"
    await page.evaluate(RECORD_STATUSES, f"{first_row} td[data-status]")
    await page.check(f"{first_row} input[name=user_ids]")
    await page.click("text=Actualizar seleccionados")
    await expect(page.locator("#alerts")).to_contain_text(
        "Se solicitó la verificación de 1 referido."
    )
    # The row goes back to a waiting status, then to the new answer, on its own.
    await page.wait_for_function(
        """() => { const seen = window.__estados;
                   return seen.some((s) => s === "PENDING" || s === "PROCESSING")
                          && seen[seen.length - 1] === "ACTIVE"; }""",
        timeout=45_000,
    )
    assert await page.evaluate("window.__sinRecargar") is True

    page.once("dialog", lambda dialog: dialog.accept())
    await page.click("text=Actualizar todos (2)")
    await expect(page.locator("#alerts")).to_contain_text(
        "Se solicitó la verificación de 2 referidos."
    )

    user = await (await chromium.new_context()).new_page()
    await log_in(user, stack, referrals[0]["cedula"])
    await user.goto(stack.url("web", "/referidos"))
    await expect(user.locator("text=Aún no tiene referidos.")).to_be_visible()
    await expect(user.locator("button", has_text="Actualizar seleccionados")).to_have_count(0)
    forced = await user.evaluate(
        """async (target) => {
          const token = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
          const answer = await fetch(`/censo/${target}/actualizar`,
            {method: "POST", headers: {"X-CSRFToken": token, "HX-Request": "true"}});
          return answer.status;
        }""",
        referrals[1]["id"],
    )
    assert forced == 403
    response = await user.goto(stack.url("web", "/admin"))
    assert response is not None and response.status == 403
    await expect(user.locator("h1")).to_contain_text("No tiene permiso")


async def test_an_admin_disables_an_account_and_its_open_page_loses_the_session(
    dashboard_stack: Stack, chromium: Browser
) -> None:
    stack = dashboard_stack
    admin_cedula = found_cedula()
    create_admin(stack, admin_cedula)
    person = register_by_api(stack, nombre="Jorge Eliécer Mora")
    page = await (await chromium.new_context()).new_page()
    await log_in(page, stack, person["cedula"])
    await page.goto(stack.url("web", "/perfil"))

    admin = await (await chromium.new_context()).new_page()
    await log_in(admin, stack, admin_cedula, ADMIN_PASSWORD)
    await admin.goto(stack.url("web", f"/admin/usuarios/{person['id']}"))
    admin.once("dialog", lambda dialog: dialog.accept())  # «¿Desactivar la cuenta de …?»
    await admin.click("form.account-form button[type=submit]")
    await expect(admin.locator(".alert--success")).to_contain_text("Cuenta desactivada")
    await expect(admin.locator("h1 .badge")).to_have_text("Desactivada")

    # The open page's session is gone: its next request goes to the login, which says why
    # only after the right password.
    await page.reload()
    await page.wait_for_url("**/ingresar**")
    await page.fill("#f-cedula", person["cedula"])
    await page.fill("#f-password", PASSWORD)
    await page.click("form[action='/ingresar'] button[type=submit]")
    await expect(page.locator(".alert--error")).to_contain_text(
        "Esta cuenta está desactivada. Comuníquese con la campaña."
    )


async def test_a_reset_link_made_by_an_admin_sets_a_new_password_and_ends_open_sessions(
    dashboard_stack: Stack, chromium: Browser
) -> None:
    stack = dashboard_stack
    admin_cedula = found_cedula()
    create_admin(stack, admin_cedula)
    person = register_by_api(stack, nombre="Luz Marina Ochoa")
    page = await (await chromium.new_context()).new_page()
    await log_in(page, stack, person["cedula"])

    admin = await (await chromium.new_context()).new_page()
    refused = csp_violations(admin)
    await log_in(admin, stack, admin_cedula, ADMIN_PASSWORD)
    await admin.goto(stack.url("web", f"/admin/usuarios/{person['id']}"))
    await admin.click("form.reset-form button[type=submit]")
    link = await admin.locator("#enlace-restablecer").input_value()
    assert "/restablecer/" in link
    await expect(admin.locator("[data-copy='#enlace-restablecer']")).to_have_text("Copiar")
    whatsapp = await admin.locator("a[href^='https://wa.me/?text=']").get_attribute("href")
    assert whatsapp and "Luz" in httpx.URL(whatsapp).params["text"]
    assert refused == []

    # The person opens the link in a browser of their own, with no session.
    visitor = await (await chromium.new_context()).new_page()
    await visitor.goto(link)
    await visitor.fill("#f-new_password", "Nueva-Clave-Segura-26")
    await visitor.fill("#f-new_password_confirm", "Nueva-Clave-Segura-26")
    await visitor.click("form button[type=submit]")
    await expect(visitor.locator(".alert--success")).to_contain_text("Contraseña restablecida")
    await visitor.goto(link)  # spent
    await expect(visitor.locator(".alert--error")).to_contain_text("ya no es válido")

    # The page left open elsewhere lost its session; the new password works.
    await page.reload()
    await page.wait_for_url("**/ingresar**")
    await log_in(page, stack, person["cedula"], "Nueva-Clave-Segura-26")


async def test_a_claim_for_a_taken_cedula_is_filed_and_an_admin_transfers_the_account(
    dashboard_stack: Stack, chromium: Browser
) -> None:
    stack = dashboard_stack
    admin_cedula = found_cedula()
    create_admin(stack, admin_cedula)
    holder = register_by_api(stack, nombre="Usurpador Ejemplo Ruiz")
    held = await (await chromium.new_context()).new_page()
    await log_in(held, stack, holder["cedula"])

    # The owner of the cédula tries to sign up, is told it is taken, and files a claim.
    claimant = await (await chromium.new_context()).new_page()
    refused = csp_violations(claimant)
    await claimant.goto(stack.url("web", "/registro"))
    await claimant.fill("#f-nombre", "Rosa Elena Díaz")
    await claimant.fill("#f-cedula", holder["cedula"])
    await claimant.fill("#f-telefono", "3105551234")
    await claimant.fill("#f-password", PASSWORD)
    await claimant.fill("#f-password_confirm", PASSWORD)
    await claimant.check("#f-data_policy_accepted")
    await claimant.click("form[action='/registro'] button[type=submit]")
    await claimant.click("text=¿Es su cédula? Presente un reclamo")
    await claimant.wait_for_url("**/reclamo")
    await claimant.fill("#f-cedula", holder["cedula"])
    await claimant.fill("#f-nombre", "Rosa Elena Díaz")
    await claimant.fill("#f-telefono", "3105551234")
    await claimant.fill("#f-mensaje", "Esa cédula es mía; puedo mostrar el documento.")
    await claimant.click("form[action='/reclamo'] button[type=submit]")
    await expect(claimant.locator("h1")).to_have_text("Recibimos su reclamo")
    await expect(claimant.locator("main")).not_to_contain_text("Usurpador")

    # The admin sees it (live, once projected) and transfers the account.
    admin = await (await chromium.new_context()).new_page()
    refused += csp_violations(admin)
    await log_in(admin, stack, admin_cedula, ADMIN_PASSWORD)
    await admin.goto(stack.url("web", "/admin/reclamos"))
    row = admin.locator("tr[data-claim]", has_text="Rosa Elena Díaz")
    await expect(row).to_contain_text("Usurpador Ejemplo Ruiz")
    await admin.reload()  # the menu's count is read with the page
    await expect(admin.locator("#reclamos-abiertos .nav__count")).to_have_text("1")
    await row.locator("summary", has_text="Transferir").click()
    await row.locator("button", has_text="Sí, transferir la cuenta").click()
    await expect(admin.locator("h1")).to_have_text("Cuenta transferida")
    link = await admin.locator("#enlace-restablecer").input_value()
    assert "/restablecer/" in link
    whatsapp = await admin.locator("a[href^='https://wa.me/573105551234']").get_attribute("href")
    assert whatsapp and link in httpx.URL(whatsapp).params["text"]
    assert refused == []

    # The claimant sets a password and has the account; the former holder's page lost it.
    await claimant.goto(link)
    await claimant.fill("#f-new_password", "Nueva-Clave-Segura-26")
    await claimant.fill("#f-new_password_confirm", "Nueva-Clave-Segura-26")
    await claimant.click("form button[type=submit]")
    await expect(claimant.locator(".alert--success")).to_contain_text("Contraseña restablecida")
    await log_in(claimant, stack, holder["cedula"], "Nueva-Clave-Segura-26")
    await expect(claimant.locator(".logout__name")).to_have_text("Rosa")
    await held.reload()
    await held.wait_for_url("**/ingresar**")
