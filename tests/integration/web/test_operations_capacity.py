"""Operación's «Consultas al censo» on a real Kafka and PostgreSQL: the projected capacity
report (hosts, an open circuit with its raw answer escaped, a low captcha balance), the census
worker's lag per lane, and «Reanudar» publishing the command and its audit record."""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas import topics
from services.common.kafka import ensure_topics
from services.common.settings import KafkaSettings
from services.web.app import create_app
from services.web.projection.projector import Projector
from tests.integration.web.conftest import web_settings
from tests.integration.web.support import csrf_from, login, project_outbox, register_admin
from tests.support.capacity import (
    capacity_report,
    captcha_account,
    host_state,
    open_circuit,
)
from tests.support.events import record
from tests.support.kafka import publish, start_group_at_end
from tests.support.kafka_wait import watching

PAGE = "/admin/operacion"
WORKER_TOPICS = [
    topics.ACCOUNTS.name,
    topics.VALIDATION_REQUESTS.name,
    topics.BULK_VALIDATION_REQUESTS.name,
]


@pytest.fixture
def worker_group() -> str:
    return f"census-worker-{secrets.token_hex(4)}"


@pytest.fixture
async def ops_web(
    web_db: str, registration: AsyncTestClient, kafka_bootstrap: str, worker_group: str
) -> AsyncIterator[AsyncTestClient]:
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    await ensure_topics(kafka)
    settings = web_settings(web_db, kafka=kafka, census_worker_group_id=worker_group)
    app = create_app(settings, registration_http=registration)
    async with AsyncTestClient(app=app, base_url="http://web.test") as client:
        client.follow_redirects = False
        yield client


@pytest.fixture
async def admin(
    ops_web: AsyncTestClient,
    registration: AsyncTestClient,
    registration_engine: AsyncEngine,
    projector: Projector,
) -> dict[str, Any]:
    user = await register_admin(registration)
    await project_outbox(registration_engine, projector)
    assert (await login(ops_web, user["cedula"])).status_code == 303
    return user


async def _report_projected(projector: Projector) -> None:
    report = capacity_report(
        hosts=[host_state("wsp", turns_last_minute=9), open_circuit("consultacenso")],
        captcha=captcha_account(balance=1.2, low=5),
    )
    assert await projector.project(record(report))


async def test_the_status_shows_lanes_hosts_the_open_circuit_and_a_low_balance(
    ops_web: AsyncTestClient,
    admin: dict[str, Any],
    projector: Projector,
    kafka_bootstrap: str,
    worker_group: str,
) -> None:
    await start_group_at_end(kafka_bootstrap, worker_group, WORKER_TOPICS)
    for index in range(3):  # three bulk lookups the worker group has not read
        await publish(kafka_bootstrap, topics.BULK_VALIDATION_REQUESTS.name, b"%d" % index, b"{}")
    await _report_projected(projector)

    html = (await ops_web.get(f"{PAGE}/estado", headers={"HX-Request": "true"})).text
    section = html.split('id="consultas-al-censo"')[1].split("</section>")[0]

    assert "Consultas al censo" in html
    assert '<td data-label="En espera">3</td>' in section  # the bulk lane
    assert "3 consultas en espera: al ritmo permitido terminarían en menos de un minuto." in section
    wsp = section.split('data-host="wsp"')[1].split("</tr>")[0]
    assert "75 %" in wsp and "Cerrado" in wsp  # 9 turns of the 12 a minute allows
    circuit = section.split('data-host="consultacenso"')[1].split("</tr>")[0]
    assert "Abierto desde" in circuit and "5 respuestas sin clasificar seguidas" in circuit
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in circuit  # shown, never run
    assert "<script>" not in section
    assert 'name="host" value="consultacenso"' in circuit and 'value="wsp"' not in section
    assert "es bajo (US$ 1,20; se avisa por debajo de US$ 5,00)" in section
    assert "US$ 2,99" in section  # the estimated spend


async def test_resume_publishes_the_command_and_records_who_asked(
    ops_web: AsyncTestClient, admin: dict[str, Any], projector: Projector, kafka_bootstrap: str
) -> None:
    await _report_projected(projector)
    token = csrf_from((await ops_web.get(PAGE)).text)

    async with watching(kafka_bootstrap, topics.CENSUS_CONTROL.name, topics.OPS_AUDIT.name) as w:
        response = await ops_web.post(
            f"{PAGE}/reanudar", data={"_csrf_token": token, "host": "consultacenso"}
        )
        seen = await w.wait_for(
            lambda seen: (
                {r.topic for r in seen} >= {topics.CENSUS_CONTROL.name, topics.OPS_AUDIT.name}
            )
        )

    assert response.status_code == 303 and response.headers["location"] == PAGE
    command = json.loads(next(r for r in seen if r.topic == topics.CENSUS_CONTROL.name).value)
    assert command["type"] == "CensusHostResumeRequested"
    assert command["data"]["host"] == "consultacenso" and admin["id"] in command["data"]["operator"]
    audit = json.loads(next(r for r in seen if r.topic == topics.OPS_AUDIT.name).value)
    assert (audit["data"]["action"], audit["data"]["target"]) == (
        "census.resume-host",
        "consultacenso",
    )
    assert admin["id"] in audit["data"]["operator"]
    page = (await ops_web.get(PAGE)).text
    assert "Se pidió a los trabajadores reanudar las consultas a consultacenso." in page


async def test_an_unknown_host_is_refused_with_a_message(
    ops_web: AsyncTestClient, admin: dict[str, Any]
) -> None:
    token = csrf_from((await ops_web.get(PAGE)).text)
    response = await ops_web.post(f"{PAGE}/reanudar", data={"_csrf_token": token, "host": "x"})
    assert response.status_code == 303
    assert "Elija un sitio del censo válido." in (await ops_web.get(PAGE)).text


async def test_a_resume_without_its_csrf_token_is_refused(
    ops_web: AsyncTestClient, admin: dict[str, Any]
) -> None:
    response = await ops_web.post(f"{PAGE}/reanudar", data={"host": "wsp"})
    assert response.status_code == 403
    assert "El formulario caducó" in response.text
