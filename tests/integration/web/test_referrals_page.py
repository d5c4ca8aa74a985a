"""Referidos for a leader: pages, filter by status, search, CSV, bulk refresh, stuck checks."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from litestar.testing import AsyncTestClient

from schemas.census import CensusStatus
from services.web.projection.projector import Projector
from tests.integration.web.builders import answered, project, referral, requested
from tests.integration.web.support import htmx_post, login, register, register_admin, set_role

ACTIVE, NOT_FOUND = 30, 14  # plus one hostile name, pending: 45 referrals
HOSTILE = '=HYPERLINK("http://evil","x") <b>José</b>'


@pytest.fixture
async def leader(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable, projector: Projector
) -> dict:
    admin = await register_admin(registration)
    leader = await register(registration)
    await set_role(registration, admin["id"], leader["id"], "LEADER")
    await sync()
    leader_id, start = UUID(leader["id"]), datetime.now(UTC) - timedelta(days=1)
    for i in range(ACTIVE + NOT_FOUND):
        someone = referral(
            leader_id, nombre=f"Referido Número {i:02d}", at=start + timedelta(minutes=i)
        )
        status = CensusStatus.ACTIVE if i < ACTIVE else CensusStatus.NOT_FOUND
        await project(projector, someone, answered(someone, status))
    hostile = referral(leader_id, nombre=HOSTILE)
    await project(projector, hostile)
    await login(web, leader["cedula"])
    return leader | {"hostile_cedula": hostile.data.cedula}


async def test_pages_of_twenty_newest_first(web: AsyncTestClient, leader: dict) -> None:
    first = (await web.get("/referidos")).text
    assert "<strong>45</strong> referidos" in first and "1–20 de 45" in first
    assert first.index("&lt;b&gt;José&lt;/b&gt;") < first.index("Referido Número 43")
    last = (await web.get("/referidos?pagina=3")).text
    assert "41–45 de 45" in last and "Referido Número 00" in last
    assert "Referido Número 43" not in last


async def test_filter_by_status_and_search_by_name_or_cedula(
    web: AsyncTestClient, leader: dict
) -> None:
    not_found = (await web.get("/referidos?estado=NOT_FOUND")).text
    assert "<strong>14</strong> referidos con este filtro" in not_found
    assert not_found.count('data-status="NOT_FOUND"') == 14
    by_name = (await web.get("/referidos?busqueda=numero+0")).text  # no accent, any case
    assert "<strong>10</strong> referidos" in by_name
    by_cedula = (await web.get(f"/referidos?busqueda={leader['hostile_cedula'][:6]}")).text
    assert "<strong>1</strong> referido con este filtro" in by_cedula
    assert "&lt;b&gt;José&lt;/b&gt;" in by_cedula


async def test_htmx_asks_for_the_table_alone(web: AsyncTestClient, leader: dict) -> None:
    response = await web.get(
        "/referidos?estado=ACTIVE",
        headers={"HX-Request": "true", "HX-Target": "referidos-tabla"},
    )
    assert response.text.lstrip().startswith('<section id="referidos-tabla"')
    assert "<html" not in response.text and "<strong>30</strong>" in response.text


async def test_csv_has_every_matching_referral_and_no_formula(
    web: AsyncTestClient, leader: dict
) -> None:
    response = await web.get("/referidos.csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[0][:5] == ["Nombre", "Cédula", "Teléfono", "Fecha de registro", "Estado"]
    assert len(rows) == 46
    hostile = next(row for row in rows if "HYPERLINK" in row[0])
    assert hostile[0] == "'" + HOSTILE and hostile[4] == "Pendiente"
    active = next(row for row in rows if row[4].startswith("Activo"))
    assert active[5:10] == ["SUCRE", "SINCELEJO", "IE SAN JOSE C I P", "CL 22 No. 10A-380", "13"]
    filtered = await web.get("/referidos.csv?estado=NOT_FOUND")
    assert len(list(csv.reader(io.StringIO(filtered.text.lstrip("\ufeff"))))) == 15


async def test_a_pending_check_older_than_the_threshold_shows_as_stuck(
    web: AsyncTestClient, leader: dict, projector: Projector
) -> None:
    asked_at = datetime.now(UTC) - timedelta(hours=2, minutes=5)
    old = referral(UUID(leader["id"]), nombre="Rosa Olvidada", at=asked_at - timedelta(days=3))
    await project(projector, old, requested(old.data.user_id, old.data.cedula, asked_at))
    page = (await web.get("/referidos?estado=ATASCADO")).text
    assert "<strong>1</strong> referido con este filtro" in page
    assert "Rosa Olvidada" in page and "⚠ Atascado · 2 h 5 min" in page
    fresh = (await web.get(f"/referidos?busqueda={leader['hostile_cedula']}")).text
    assert 'data-status="PENDING"' in fresh and "⚠ Atascado" not in fresh  # pending, but fresh


async def test_a_leader_refreshes_a_selection_and_everything_that_matches(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable, leader: dict
) -> None:
    real = [await register(registration, referral_code=leader["referral_code"]) for _ in range(3)]
    await sync()
    selected = await htmx_post(
        web, "/referidos/actualizar", {"user_ids": [real[0]["id"], real[1]["id"]]}
    )
    assert selected.status_code == 202
    assert "Se solicitó la verificación de 2 referidos." in selected.text
    everyone = await htmx_post(web, "/referidos/actualizar-todos", {"estado": "PENDING"})
    # 3 real accounts are queued; the hand-built pending one exists only in the read model
    assert "Se solicitó la verificación de 3 referidos." in everyone.text
    assert "1 no se pudieron solicitar" in everyone.text
    nothing = await htmx_post(web, "/referidos/actualizar")
    assert nothing.status_code == 422 and "Seleccione al menos un referido." in nothing.text


async def test_no_referrals_shows_how_to_get_some(
    web: AsyncTestClient, registration: AsyncTestClient
) -> None:
    user = await register(registration)
    await login(web, user["cedula"])
    page = (await web.get("/referidos")).text
    assert "Aún no tiene referidos." in page and "Descargar CSV" not in page
