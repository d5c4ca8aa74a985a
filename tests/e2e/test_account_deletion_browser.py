"""A person downloads their data and deletes their own account in real Chromium on the whole
running system (Ley 1581): JSON and CSV files with what is kept about them; a typed
confirmation; their session ends, they cannot log in again, and their leader's Referidos page
lists «Cuenta eliminada» with neither their name nor their cédula."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from tests.e2e.test_dashboard_browser import (
    PASSWORD,
    chromium,  # noqa: F401  (the fixture)
    dashboard_stack,  # noqa: F401  (the fixture)
    log_in,
    register_by_api,
)
from tests.support.stack import Stack

pytestmark = pytest.mark.e2e


async def test_a_person_deletes_their_account_and_their_leader_sees_it_erased(
    dashboard_stack: Stack,  # noqa: F811
    chromium: Browser,  # noqa: F811
) -> None:
    stack = dashboard_stack
    leader = register_by_api(stack, nombre="Rodrigo Antonio Vélez")
    person = register_by_api(
        stack, nombre="Liliana Patricia Ruiz", referral_code=leader["referral_code"]
    )
    leader_page = await (await chromium.new_context()).new_page()
    await log_in(leader_page, stack, leader["cedula"])
    await leader_page.goto(stack.url("web", "/referidos"))
    await expect(leader_page.locator("#referidos-tabla")).to_contain_text("Liliana Patricia Ruiz")

    page = await (await chromium.new_context()).new_page()
    await log_in(page, stack, person["cedula"])
    await page.goto(stack.url("web", "/perfil"))
    # First, as the deletion page suggests, their data as files (Ley 1581: access).
    for kind in ("json", "csv"):
        async with page.expect_download() as started:
            await page.click(f"a[href='/perfil/mis-datos.{kind}']")
        download = await started.value
        assert download.suggested_filename.startswith("mis-datos-")
        assert download.suggested_filename.endswith(f".{kind}")
        body = Path(await download.path()).read_text(encoding="utf-8-sig")
        assert "Liliana Patricia Ruiz" in body and person["cedula"] in body
        if kind == "json":
            assert json.loads(body)["cuenta"]["cedula"] == person["cedula"]
    await page.click("a[href='/perfil/eliminar']")
    await page.fill("#f-confirmacion", "borrar")  # not the word asked for: refused
    await page.click("form[action='/perfil/eliminar'] button[type=submit]")
    await expect(page.get_by_text("Escriba ELIMINAR para confirmar que quiere")).to_be_visible()
    await page.fill("#f-confirmacion", "ELIMINAR")
    await page.click("form[action='/perfil/eliminar'] button[type=submit]")
    await page.wait_for_url("**/ingresar")

    # Gone for good: the same cédula and password no longer open anything.
    await page.fill("#f-cedula", person["cedula"])
    await page.fill("#f-password", PASSWORD)
    await page.click("form[action='/ingresar'] button[type=submit]")
    await expect(page.get_by_text("Cédula o contraseña incorrectas")).to_be_visible()
    assert page.url.endswith("/ingresar")

    # The leader still counts the referral, erased; nothing of theirs is readable.
    await leader_page.reload()
    table = leader_page.locator("#referidos-tabla")
    await expect(table).to_contain_text("Cuenta eliminada", timeout=30_000)
    text = await table.inner_text()
    assert "Liliana" not in text and "3104445566" not in (await table.inner_html())
    assert not any(part in text for part in (person["cedula"], f"{int(person['cedula']):,}"))
    await expect(leader_page.locator("#referidos-tabla tbody tr")).to_have_count(1)
