"""An ADMIN's account administration in real Chromium on the whole running system: a corrected
cédula (the person's open Perfil shows PENDING, then the new answer, without a reload) and a
hand-over (the old leader's open Referidos page drops the referral live and hears nothing more of
them, while the new leader's page follows the referral's census)."""

from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import Browser, expect

from tests.e2e.test_dashboard_browser import (
    ADMIN_PASSWORD,
    RECORD_STATUSES,
    chromium,  # noqa: F401  (the fixture)
    create_admin,
    dashboard_stack,  # noqa: F401  (the fixture)
    found_cedula,
    log_in,
    register_by_api,
)
from tests.support.stack import Stack

pytestmark = pytest.mark.e2e


async def test_an_admin_corrects_a_cedula_and_the_person_sees_pending_then_the_new_answer(
    dashboard_stack: Stack,  # noqa: F811
    chromium: Browser,  # noqa: F811
) -> None:
    stack = dashboard_stack
    admin_cedula = found_cedula()
    create_admin(stack, admin_cedula)
    person = register_by_api(stack, nombre="Liliana Patricia Ruiz")
    page = await (await chromium.new_context()).new_page()
    await log_in(page, stack, person["cedula"])
    await page.goto(stack.url("web", "/perfil"))
    await expect(page.locator('.census__status[data-status="ACTIVE"]')).to_be_visible(
        timeout=45_000
    )
    await page.evaluate(RECORD_STATUSES, ".census__status")

    admin = await (await chromium.new_context()).new_page()
    await log_in(admin, stack, admin_cedula, ADMIN_PASSWORD)
    await admin.goto(stack.url("web", f"/admin/usuarios/{person['id']}"))
    corrected = found_cedula()
    await admin.fill("#f-cedula", corrected)
    await admin.click("form.edit-user-form button[type=submit]")
    await expect(admin.locator(".alert--success")).to_contain_text("Cédula corregida")
    await expect(admin.locator(".account-history")).to_contain_text("Cédula corregida")

    # The person's open page: the old answer leaves, the new lookup waits, then answers.
    await page.wait_for_function(
        """() => { const seen = window.__estados;
                   const waited = seen.findIndex((s) => s === "PENDING" || s === "PROCESSING");
                   return waited > 0 && seen[seen.length - 1] === "ACTIVE"; }""",
        timeout=60_000,
    )
    assert await page.evaluate("window.__sinRecargar") is True  # no reload happened
    await page.reload()
    await expect(page.locator(".census__status")).to_have_attribute("data-status", "ACTIVE")


async def test_a_hand_over_takes_the_referral_off_the_old_leaders_open_page(
    dashboard_stack: Stack,  # noqa: F811
    chromium: Browser,  # noqa: F811
) -> None:
    stack = dashboard_stack
    admin_cedula = found_cedula()
    create_admin(stack, admin_cedula)
    old = register_by_api(stack, nombre="Rodrigo Antonio Vélez")
    new = register_by_api(stack, nombre="Marta Cecilia Ospina")
    moving = register_by_api(stack, nombre="Ana María Pérez", referral_code=old["referral_code"])
    staying = register_by_api(stack, nombre="José Núñez Ortiz", referral_code=old["referral_code"])

    admin = await (await chromium.new_context()).new_page()
    await log_in(admin, stack, admin_cedula, ADMIN_PASSWORD)
    for leader in (old, new):
        await admin.goto(stack.url("web", f"/admin/usuarios/{leader['id']}"))
        await admin.select_option("#f-role", "LEADER")
        await admin.click("form.role-form button[type=submit]")
        await expect(admin.locator(".alert--success")).to_contain_text("Rol cambiado a Líder.")

    old_page = await (await chromium.new_context()).new_page()
    await log_in(old_page, stack, old["cedula"])
    await old_page.goto(stack.url("web", "/referidos"))
    await expect(old_page.locator("#referidos-tabla tbody tr")).to_have_count(2)
    await expect(old_page.locator('#referidos-tabla td[data-status="ACTIVE"]')).to_have_count(
        2, timeout=45_000
    )
    await old_page.evaluate("() => { window.__sinRecargar = true; }")

    await admin.goto(stack.url("web", f"/admin/usuarios/{old['id']}/traspaso"))
    await admin.select_option("#f-destino", new["id"])
    await admin.check(f"input[name=referidos][value='{moving['id']}']")
    await admin.click("button[value=seleccionados]")
    await expect(admin.locator(".alert--success")).to_contain_text("Referidos traspasados: 1.")

    # The old leader's open list drops the person by itself; the other referral stays.
    await expect(old_page.locator(f"#ref-{moving['id']}")).to_have_count(0)
    await expect(old_page.locator(f"#ref-{staying['id']}")).to_have_count(1)

    new_page = await (await chromium.new_context()).new_page()
    await log_in(new_page, stack, new["cedula"])
    await new_page.goto(stack.url("web", "/referidos"))
    row = f"#ref-{moving['id']}"
    await expect(new_page.locator(row)).to_have_count(1)
    await new_page.evaluate(RECORD_STATUSES, f"{row} td[data-status]")
    await new_page.check(f"{row} input[name=user_ids]")
    await new_page.click("text=Actualizar seleccionados")
    await new_page.wait_for_function(
        """() => { const seen = window.__estados;
                   return seen.some((s) => s === "PENDING" || s === "PROCESSING")
                          && seen[seen.length - 1] === "ACTIVE"; }""",
        timeout=45_000,
    )
    await asyncio.sleep(1.5)  # time enough for a wrong delivery to show on the old page
    await expect(old_page.locator(f"#ref-{moving['id']}")).to_have_count(0)
    assert await old_page.evaluate("window.__sinRecargar") is True

    await admin.goto(stack.url("web", f"/admin/usuarios/{moving['id']}"))
    await expect(admin.locator(".original-referrer")).to_contain_text("Rodrigo Antonio Vélez")
    await expect(admin.locator(".account-history")).to_contain_text("Traspasado a otro líder")
