"""Operación (ADMIN only): Kafka's topics and dead letters on a real broker, redriving from the
page, the runs of long operations with their progress, and a Kafka out of reach."""

from __future__ import annotations

import asyncio
import json
import re
import secrets
from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas import topics
from schemas.envelope import encode_event
from schemas.events import ValidationReason, ValidationRequested, ValidationRequestedData
from services.common.kafka import ensure_topics
from services.common.settings import KafkaSettings
from services.kafka_admin.clients import kafka_clients
from services.kafka_admin.topics import topic_states
from services.web.adapters.operation_runs import RunKind, recorded_run
from services.web.adapters.tables import operation_runs
from services.web.app import create_app
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

PAGE = "/admin/operacion"
ROUTES = [
    ("GET", PAGE),
    ("GET", f"{PAGE}/estado"),
    ("POST", f"{PAGE}/reenviar"),
    ("POST", f"{PAGE}/reanudar"),
]


async def _browser(
    web_db: str, registration: AsyncTestClient, bootstrap: str
) -> AsyncIterator[AsyncTestClient]:
    settings = web_settings(web_db, kafka=KafkaSettings(bootstrap_servers=bootstrap))
    app = create_app(settings, registration_http=registration)
    async with AsyncTestClient(app=app, base_url="http://web.test") as client:
        client.follow_redirects = False
        yield client


@pytest.fixture
async def ops_web(
    web_db: str, registration: AsyncTestClient, kafka_bootstrap: str
) -> AsyncIterator[AsyncTestClient]:
    await ensure_topics(KafkaSettings(bootstrap_servers=kafka_bootstrap))
    async for client in _browser(web_db, registration, kafka_bootstrap):
        yield client


@pytest.fixture
async def admin(
    ops_web: AsyncTestClient,
    registration: AsyncTestClient,
    registration_engine: AsyncEngine,
    projector: Projector,
) -> dict[str, Any]:
    """An ADMIN, projected into the read model and logged in on `ops_web`."""
    user = await register_admin(registration)
    await project_outbox(registration_engine, projector)
    assert (await login(ops_web, user["cedula"])).status_code == 303
    return user


async def _letter(bootstrap: str, original: str, key: bytes) -> tuple[int, int]:
    """A dead letter as the worker writes it: original key and bytes, failure headers."""
    from aiokafka import AIOKafkaProducer

    request = ValidationRequested(
        producer="tests",
        data=ValidationRequestedData(
            user_id=uuid4(), cedula=key.decode(), reason=ValidationReason.REFRESH
        ),
    )

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        headers = [
            ("failure_original_topic", original.encode()),
            ("failure_kind", b"TIMEOUT"),
            ("failure_message", b"La p\xc3\xa1gina tard\xc3\xb3 demasiado"),
            ("failure_attempt", b"3"),
        ]
        sent = await producer.send_and_wait(
            topics.WORKER_DLT.name, value=encode_event(request)[1], key=key, headers=headers
        )
    finally:
        await producer.stop()
    return sent.partition, sent.offset


async def _messages_in(bootstrap: str, topic: str) -> int:
    async with kafka_clients(KafkaSettings(bootstrap_servers=bootstrap)) as (admin, consumer):
        return sum(state.messages for state in await topic_states(admin, consumer, [topic]))


@pytest.mark.parametrize("role", ["USER", "LEADER"])
async def test_users_and_leaders_are_refused_the_operation_page(
    ops_web: AsyncTestClient, registration: AsyncTestClient, role: str
) -> None:
    boss = await register_admin(registration)
    user = await register(registration)
    if role == "LEADER":
        await set_role(registration, boss["id"], user["id"], "LEADER")
    await login(ops_web, user["cedula"])
    token = csrf_from((await ops_web.get("/inicio")).text)
    for method, path in ROUTES:
        data = {"_csrf_token": token, "dlt": topics.WORKER_DLT.name}
        response = await (ops_web.get(path) if method == "GET" else ops_web.post(path, data=data))
        assert response.status_code == 403, (method, path)
    assert "/admin/operacion" not in (await ops_web.get("/inicio")).text  # not in the menu


async def test_anonymous_visitors_are_sent_to_log_in(ops_web: AsyncTestClient) -> None:
    token = await csrf_token(ops_web)
    for method, path in ROUTES:
        data = {"_csrf_token": token, "dlt": topics.WORKER_DLT.name}
        response = await (ops_web.get(path) if method == "GET" else ops_web.post(path, data=data))
        assert response.status_code == 303, (method, path)
        assert response.headers["location"].startswith("/ingresar")


async def test_a_redrive_without_its_csrf_token_is_refused(
    ops_web: AsyncTestClient, admin: dict[str, Any]
) -> None:
    response = await ops_web.post(f"{PAGE}/reenviar", data={"dlt": topics.WORKER_DLT.name})
    assert response.status_code == 403
    assert "El formulario caducó" in response.text


async def test_the_page_shows_every_topic_and_the_dead_letter_counts(
    ops_web: AsyncTestClient, admin: dict[str, Any], kafka_bootstrap: str
) -> None:
    await _letter(kafka_bootstrap, topics.VALIDATION_REQUESTS.name, b"7700100200")
    expected = await _messages_in(kafka_bootstrap, topics.WORKER_DLT.name)

    html = (await ops_web.get(PAGE)).text

    assert '<a href="/admin/operacion" aria-current="page">Operación</a>' in html
    for spec in topics.ALL_TOPICS:
        assert spec.name in html
    count = re.search(rf'data-dlt-count="{re.escape(topics.WORKER_DLT.name)}">([\d.]+)<', html)
    assert count and int(count.group(1).replace(".", "")) == expected
    assert "7700100200" in html and "TIMEOUT" in html  # the letter itself, with why it failed
    fragment = await ops_web.get(f"{PAGE}/estado", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and 'hx-trigger="every 3s"' in fragment.text
    assert "<html" not in fragment.text


async def test_a_dead_letter_redriven_from_the_page_goes_back_to_the_bulk_lane(
    ops_web: AsyncTestClient,
    admin: dict[str, Any],
    kafka_bootstrap: str,
    web_engine: AsyncEngine,
) -> None:
    key = f"77{secrets.randbelow(10**8):08d}".encode()
    partition, offset = await _letter(kafka_bootstrap, topics.VALIDATION_REQUESTS.name, key)
    token = csrf_from((await ops_web.get(PAGE)).text)
    form = {"_csrf_token": token, "dlt": topics.WORKER_DLT.name, "at": f"{partition}:{offset}"}

    async with watching(
        kafka_bootstrap, topics.BULK_VALIDATION_REQUESTS.name, topics.OPS_AUDIT.name
    ) as watcher:
        response = await ops_web.post(f"{PAGE}/reenviar", data=form)
        seen = await watcher.wait_for(
            lambda seen: (
                any(r.key == key for r in seen)
                and any(r.topic == topics.OPS_AUDIT.name for r in seen)
            )
        )

    assert response.status_code == 303 and response.headers["location"] == PAGE
    back = next(r for r in seen if r.key == key)
    assert back.topic == topics.BULK_VALIDATION_REQUESTS.name  # a redrive is bulk work
    assert (
        dict(back.headers)["redriven_from"]
        == f"{topics.WORKER_DLT.name}/{partition}/{offset}".encode()
    )
    audit = json.loads(next(r for r in seen if r.topic == topics.OPS_AUDIT.name).value)
    assert audit["data"]["action"] == "dlt.redrive" and audit["data"]["count"] == 1
    assert admin["id"] in audit["data"]["operator"]
    page = (await ops_web.get(PAGE)).text
    assert f"Se reenvió 1 mensaje de {topics.WORKER_DLT.name} a su tópico original." in page
    async with web_engine.connect() as conn:
        run = (
            await conn.execute(select(operation_runs).order_by(operation_runs.c.run_id.desc()))
        ).first()
    assert (run.kind, run.status, run.done) == ("redrive", "succeeded", 1)


async def test_the_runs_show_a_recorded_run_with_its_progress_while_it_runs(
    ops_web: AsyncTestClient, admin: dict[str, Any], web_engine: AsyncEngine
) -> None:
    target = f"estado ERROR ({secrets.token_hex(3)})"
    async with recorded_run(
        web_engine, RunKind.REVALIDATION, "ana", target, total=200, interval_s=0.05
    ) as run:
        run.advance(50)
        await asyncio.sleep(0.3)  # a few flushes
        running = (await ops_web.get(f"{PAGE}/estado", headers={"HX-Request": "true"})).text
    finished = (await ops_web.get(PAGE)).text

    latest = running.split('id="ultima-revalidation"')[1].split("</section>")[0]
    assert "En curso" in latest and target in latest
    assert "50 de 200 (25 %)" in latest and 'aria-valuenow="25"' in latest
    assert "Terminada" in finished.split('id="ultima-revalidation"')[1].split("</section>")[0]


async def test_kafka_out_of_reach_is_a_spanish_message_not_an_error(
    web_db: str,
    registration: AsyncTestClient,
    registration_engine: AsyncEngine,
    projector: Projector,
    web_engine: AsyncEngine,
) -> None:
    async for client in _browser(web_db, registration, "127.0.0.1:9"):
        user = await register_admin(registration)
        await project_outbox(registration_engine, projector)
        await login(client, user["cedula"])

        page = await client.get(PAGE)
        fragment = await client.get(f"{PAGE}/estado", headers={"HX-Request": "true"})
        token = csrf_from(page.text)
        redrive = await client.post(
            f"{PAGE}/reenviar", data={"_csrf_token": token, "dlt": topics.WORKER_DLT.name}
        )
        after = await client.get(PAGE)

    assert page.status_code == 200 and "No fue posible consultar Kafka" in page.text
    assert "Ejecuciones recientes" in page.text  # the runs still show
    assert fragment.status_code == 200 and "No fue posible consultar Kafka" in fragment.text
    assert redrive.status_code == 303
    assert "No se reenvió nada: Kafka no responde." in after.text
    async with web_engine.connect() as conn:
        run = (
            await conn.execute(select(operation_runs).order_by(operation_runs.c.run_id.desc()))
        ).first()
    assert (run.kind, run.status, run.done) == ("redrive", "failed", 0)
