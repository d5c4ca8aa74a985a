"""The election-day views in real Chromium on the whole running system: a referido's mesa moves
in the census (the simulator answers another mesa on the re-check) and the leader's open
Novedades page shows it without a reload; Inicio's charts are SVG images with a title and a
table of the same numbers behind «Ver como tabla»."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from tests.e2e.test_dashboard_browser import (
    ADMIN_PASSWORD,
    create_admin,
    csp_violations,
    found_cedula,
    log_in,
    register_by_api,
)
from tests.support.chromium import launched_chromium
from tests.support.stack import Stack

pytestmark = pytest.mark.e2e
NAMES = ("Ana María Pérez", "José Núñez Ortiz")
PLACE = {
    "departamento": "SUCRE",
    "municipio": "SINCELEJO",
    "puesto": "IE SAN JOSE C I P",
    "direccion": "CL 22 No. 10A-380",
}


def answer_mesa(data_file: Path, cedula: str, mesa: str) -> None:
    entry = {"kind": "found", **PLACE, "mesa": mesa}
    data_file.write_text(json.dumps({"cedulas": {cedula: entry}}), encoding="utf-8")


@pytest.fixture
async def chromium() -> AsyncIterator[Browser]:
    expect.set_options(timeout=20_000)  # round trips cross four processes on a busy machine
    async with launched_chromium() as browser:
        yield browser


@pytest.fixture
async def census_stack(stack_env: dict[str, str], tmp_path: Path) -> AsyncIterator[Stack]:
    """The simulator reads its census from a file of the test's; no reuse of recent answers, so a
    re-check is a real new lookup."""
    data_file = tmp_path / "census.json"
    data_file.write_text('{"cedulas": {}}', encoding="utf-8")
    env = stack_env | {
        "SIM_DATA_FILE": str(data_file),
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


def restart_simulator(stack: Stack) -> None:
    """The simulator reads its census file at start: a new answer needs a new process."""
    stack.services["simulator"].stop()
    simulator = stack.start("simulator", "infra", "simulator")
    simulator.wait_http(stack.url("simulator", "/censo/consultar/"))


async def leader_with_referrals(
    stack: Stack, chromium: Browser, cedulas: list[str]
) -> tuple[dict, list[dict]]:
    admin_cedula = found_cedula()
    create_admin(stack, admin_cedula)
    leader = register_by_api(stack, nombre="Carolina Restrepo Díaz")
    people = [
        register_by_api(stack, cedula=cedula, nombre=nombre, referral_code=leader["referral_code"])
        for nombre, cedula in zip(NAMES, cedulas, strict=False)
    ]
    admin = await (await chromium.new_context()).new_page()
    await log_in(admin, stack, admin_cedula, ADMIN_PASSWORD)
    await admin.goto(stack.url("web", f"/admin?busqueda={leader['cedula']}"))
    await admin.click("text=Carolina Restrepo Díaz")
    await admin.select_option("#f-role", "LEADER")
    await admin.click("form.role-form button[type=submit]")
    await expect(admin.locator(".alert--success")).to_contain_text("Rol cambiado a Líder.")
    return leader, people


async def leader_page(chromium: Browser, stack: Stack, leader: dict) -> Page:
    page = await (await chromium.new_context()).new_page()
    await log_in(page, stack, leader["cedula"])
    return page


async def test_a_mesa_change_appears_live_in_the_leaders_novedades(
    census_stack: Stack, chromium: Browser
) -> None:
    stack = census_stack
    data_file = Path(stack.env["SIM_DATA_FILE"])
    cedula = found_cedula()
    answer_mesa(data_file, cedula, "3")
    restart_simulator(stack)
    leader, (ana,) = await leader_with_referrals(stack, chromium, [cedula])
    page = await leader_page(chromium, stack, leader)
    refused = csp_violations(page)
    await page.goto(stack.url("web", "/referidos"))
    row = f"#ref-{ana['id']}"
    await expect(page.locator(f'{row} td[data-status="ACTIVE"]')).to_be_visible(timeout=45_000)

    novedades = await leader_page(chromium, stack, leader)
    refused += csp_violations(novedades)
    await novedades.goto(stack.url("web", "/novedades"))
    await expect(novedades.locator("#novedades .empty")).to_be_visible()
    await novedades.evaluate("window.__sinRecargar = true")
    answer_mesa(data_file, cedula, "7")
    restart_simulator(stack)
    await page.check(f"{row} input[name=user_ids]")
    await page.click("text=Actualizar seleccionados")

    moved = novedades.locator("#novedades tbody tr", has_text=NAMES[0])
    await expect(moved).to_contain_text("Cambió de mesa", timeout=60_000)
    await expect(moved).to_contain_text("IE SAN JOSE C I P, mesa 3")
    await expect(moved).to_contain_text("IE SAN JOSE C I P, mesa 7")
    assert await novedades.evaluate("window.__sinRecargar") is True  # no reload happened
    assert refused == []


async def test_inicio_charts_are_images_with_a_title_and_a_table_of_their_numbers(
    census_stack: Stack, chromium: Browser
) -> None:
    stack = census_stack
    leader, _ = await leader_with_referrals(stack, chromium, [found_cedula(), found_cedula()])
    page = await leader_page(chromium, stack, leader)
    refused = csp_violations(page)
    await page.goto(stack.url("web", "/inicio"))

    chart = page.locator("#grafico-avance")
    svg = chart.locator("svg[role=img]")
    await expect(svg.locator("title").first).to_have_text("Registros acumulados por día")
    await expect(svg.locator("desc")).to_contain_text("2 registros de sus referidos")
    table = chart.locator("details.chart__table table")
    await expect(table).to_be_hidden()
    await chart.locator("summary", has_text="Ver como tabla").click()
    await expect(table.locator("tbody tr").last).to_contain_text("2")
    await expect(page.locator("#grafico-estados table")).to_be_attached()
    await expect(page.locator("#grafico-estados svg title").first).to_have_text("Estado del censo")
    assert refused == []
