"""Calendario electoral (ADMIN only, CSRF, audited on ops.audit): the election date and the days
left on Inicio, bad dates as Spanish field errors, revalidations planned against the date (planned
runs on Operación, moved with the date, cancelled), and nothing stored when Kafka cannot audit."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas import topics
from services.common.kafka import ensure_topics
from services.common.settings import KafkaSettings
from services.web.adapters.tables import election_calendar, operation_runs
from services.web.app import create_app
from services.web.clock import BOGOTA
from services.web.projection.projector import Projector
from tests.integration.web.conftest import web_settings
from tests.integration.web.support import (
    csrf_from,
    csrf_token,
    login,
    project_outbox,
    register,
    register_admin,
    set_role,
)
from tests.support.kafka_wait import watching

PAGE = "/admin/operacion/calendario"
ROUTES = [("GET", PAGE), ("POST", f"{PAGE}/fecha"), ("POST", f"{PAGE}/plan")]
ROUTES += [("POST", f"{PAGE}/plan/cancelar")]


def today() -> date:
    return datetime.now(BOGOTA).date()


async def _browser(
    web_db: str, registration: AsyncTestClient, kafka: KafkaSettings
) -> AsyncIterator[AsyncTestClient]:
    app = create_app(web_settings(web_db, kafka=kafka), registration_http=registration)
    async with AsyncTestClient(app=app, base_url="http://web.test") as client:
        client.follow_redirects = False
        yield client


@pytest.fixture
async def cal_web(
    web_db: str, registration: AsyncTestClient, kafka_bootstrap: str, web_engine: AsyncEngine
) -> AsyncIterator[AsyncTestClient]:
    settings = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    await ensure_topics(settings)
    async with web_engine.begin() as conn:  # each test starts without a date or plans
        await conn.execute(delete(election_calendar))
        await conn.execute(delete(operation_runs).where(operation_runs.c.due_at.is_not(None)))
    async for client in _browser(web_db, registration, settings):
        yield client


@pytest.fixture
async def admin(
    cal_web: AsyncTestClient,
    registration: AsyncTestClient,
    registration_engine: AsyncEngine,
    projector: Projector,
) -> dict[str, Any]:
    user = await register_admin(registration)
    await project_outbox(registration_engine, projector)
    assert (await login(cal_web, user["cedula"])).status_code == 303
    return user


async def _post(web: AsyncTestClient, path: str, **fields: str) -> Any:
    token = csrf_from((await web.get(PAGE)).text)
    return await web.post(path, data={**fields, "_csrf_token": token})


@pytest.mark.parametrize("role", ["USER", "LEADER"])
async def test_users_and_leaders_are_refused_the_calendar(
    cal_web: AsyncTestClient, registration: AsyncTestClient, role: str
) -> None:
    boss = await register_admin(registration)
    user = await register(registration)
    if role == "LEADER":
        await set_role(registration, boss["id"], user["id"], "LEADER")
    await login(cal_web, user["cedula"])
    token = csrf_from((await cal_web.get("/inicio")).text)
    data = {"_csrf_token": token, "fecha": "2030-01-01", "dias": "1", "run_id": "1"}
    for method, path in ROUTES:
        response = await (cal_web.get(path) if method == "GET" else cal_web.post(path, data=data))
        assert response.status_code == 403, (method, path)


async def test_anonymous_visitors_are_sent_to_log_in(cal_web: AsyncTestClient) -> None:
    token = await csrf_token(cal_web)
    for method, path in ROUTES:
        data = {"_csrf_token": token, "fecha": "2030-01-01"}
        response = await (cal_web.get(path) if method == "GET" else cal_web.post(path, data=data))
        assert response.status_code == 303 and response.headers["location"].startswith("/ingresar")


async def test_a_date_without_its_csrf_token_is_refused(
    cal_web: AsyncTestClient, admin: dict[str, Any]
) -> None:
    response = await cal_web.post(f"{PAGE}/fecha", data={"fecha": "2030-01-01"})
    assert response.status_code == 403


async def test_an_admin_sets_the_date_audited_and_everyone_sees_the_days_left(
    cal_web: AsyncTestClient,
    admin: dict[str, Any],
    registration: AsyncTestClient,
    kafka_bootstrap: str,
    registration_engine: AsyncEngine,
    projector: Projector,
) -> None:
    election = today() + timedelta(days=20)
    async with watching(kafka_bootstrap, topics.OPS_AUDIT.name) as audit:
        response = await _post(cal_web, f"{PAGE}/fecha", fecha=election.isoformat())
        assert response.status_code == 303
        seen = await audit.wait_for(lambda records: len(records) >= 1)
    record = json.loads(seen[0].value)["data"]
    assert record["action"] == "election-date" and record["target"] == election.isoformat()
    assert admin["id"] in record["operator"]
    page = (await cal_web.get(PAGE)).text
    assert f"Fecha de las elecciones: {election:%d/%m/%Y}." in page
    assert "Faltan 20 días para las elecciones" in page

    supporter = await register(registration)
    await project_outbox(registration_engine, projector)
    await login(cal_web, supporter["cedula"])
    assert "Faltan 20 días para las elecciones" in (await cal_web.get("/inicio")).text


@pytest.mark.parametrize(
    ("fecha", "error"),
    [
        ("2027-02-30", "ese día no existe"),
        ("08/03/2027", "use el formato AAAA-MM-DD"),
        ("٢٠٢٧-03-14", "use el formato AAAA-MM-DD"),
        ("9" * 5_000, "use el formato AAAA-MM-DD"),
        ("2001-01-01", "no puede ser anterior a hoy"),
    ],
)
async def test_a_bad_date_is_a_spanish_error_next_to_the_field(
    cal_web: AsyncTestClient, admin: dict[str, Any], web_engine: AsyncEngine, fecha: str, error: str
) -> None:
    response = await _post(cal_web, f"{PAGE}/fecha", fecha=fecha)
    assert response.status_code == 422
    assert f"Fecha de las elecciones: {error}" in response.text
    async with web_engine.connect() as conn:
        assert (await conn.execute(select(election_calendar))).first() is None


async def test_a_revalidation_is_planned_against_the_date_and_moves_with_it(
    cal_web: AsyncTestClient, admin: dict[str, Any], web_engine: AsyncEngine
) -> None:
    refused = await _post(cal_web, f"{PAGE}/plan", dias="15")
    assert refused.status_code == 422 and "Primero fije la fecha de las elecciones." in refused.text
    election = today() + timedelta(days=20)
    await _post(cal_web, f"{PAGE}/fecha", fecha=election.isoformat())
    assert (await _post(cal_web, f"{PAGE}/plan", dias="15")).status_code == 303
    twice = await _post(cal_web, f"{PAGE}/plan", dias="15")
    assert twice.status_code == 422 and "ya hay una revalidación planeada" in twice.text
    too_early = await _post(cal_web, f"{PAGE}/plan", dias="30")
    assert too_early.status_code == 422 and "ese día ya pasó (faltan 20 días)" in too_early.text

    page = (await cal_web.get(PAGE)).text
    assert "todos los usuarios, 15 días antes de las elecciones" in page
    due = f"{election - timedelta(days=15):%d/%m/%Y} 00:00"
    assert due in page
    operations = (await cal_web.get("/admin/operacion/estado")).text
    assert "Planeada" in operations and f"Programada: {due}" in operations

    later = election + timedelta(days=7)
    await _post(cal_web, f"{PAGE}/fecha", fecha=later.isoformat())
    assert f"{later - timedelta(days=15):%d/%m/%Y} 00:00" in (await cal_web.get(PAGE)).text

    async with web_engine.connect() as conn:
        run_id = (await conn.execute(select(operation_runs.c.run_id).where(
            operation_runs.c.status == "planned"))).scalar_one()  # fmt: skip
    assert (await _post(cal_web, f"{PAGE}/plan/cancelar", run_id=str(run_id))).status_code == 303
    assert "No hay revalidaciones planeadas." in (await cal_web.get(PAGE)).text
    again = await _post(cal_web, f"{PAGE}/plan/cancelar", run_id=str(run_id))
    assert "ya no estaba planeada" in (await cal_web.get(again.headers["location"])).text


async def test_nothing_is_stored_when_kafka_cannot_audit_it(
    web_db: str,
    registration: AsyncTestClient,
    registration_engine: AsyncEngine,
    projector: Projector,
    web_engine: AsyncEngine,
) -> None:
    unreachable = KafkaSettings(bootstrap_servers="127.0.0.1:9", startup_timeout_s=1)
    async with web_engine.begin() as conn:
        await conn.execute(delete(election_calendar))
    boss = await register_admin(registration)
    await project_outbox(registration_engine, projector)
    async for web in _browser(web_db, registration, unreachable):
        await login(web, boss["cedula"])
        election = today() + timedelta(days=20)
        response = await _post(web, f"{PAGE}/fecha", fecha=election.isoformat())
        assert response.status_code == 303
        page = (await web.get(PAGE)).text
        assert "No se guardó el cambio: Kafka no responde" in page
        assert "Aún no se ha fijado." in page
