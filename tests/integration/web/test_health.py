"""A web process's health and metrics: live always answers, ready says whether it can serve
(database; with the projector, Kafka, the group joined and the lag), `/health` stays the live
answer for older callers, `/metrics` counts requests by route template and the open streams."""

from __future__ import annotations

import asyncio
import secrets

from litestar.testing import AsyncTestClient

from services.common.db import make_engine
from services.common.settings import KafkaSettings
from services.web.app import create_app
from services.web.entrypoints.health import database_check
from services.web.entrypoints.subscribers import PROJECTED_TOPICS
from tests.integration.web.conftest import web_settings
from tests.support.kafka import start_group_at_end


async def test_live_and_the_old_health_always_answer_ok(web: AsyncTestClient) -> None:
    for path in ("/health", "/health/live"):
        response = await web.get(path)
        assert response.status_code == 200 and response.json() == {"status": "ok"}
        assert "set-cookie" not in response.headers  # no session for probes


async def test_a_process_that_does_not_project_is_ready_once_its_database_answers(
    web: AsyncTestClient,
) -> None:
    response = await web.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "ok"}


async def test_metrics_count_requests_by_route_template_and_status(web: AsyncTestClient) -> None:
    await web.get("/health/live")
    await web.get("/inicio")  # not logged in: a redirect to the login page
    text = (await web.get("/metrics")).text
    assert 'web_http_requests_total{method="GET",route="/health/live",status="200"} 1.0' in text
    assert 'web_http_requests_total{method="GET",route="/inicio",status="303"} 1.0' in text
    assert "web_sse_streams_open 0.0" in text
    assert "web_projection_lag_records 0.0" in text


async def test_a_projecting_process_is_ready_once_kafka_answers_and_its_group_is_joined(
    web_db: str, kafka_bootstrap: str
) -> None:
    group = f"web-ready-{secrets.token_hex(4)}"
    await start_group_at_end(kafka_bootstrap, group, [spec.name for spec in PROJECTED_TOPICS])
    settings = web_settings(
        web_db,
        consume=True,
        projector_group_id=group,
        kafka=KafkaSettings(bootstrap_servers=kafka_bootstrap),
    )
    async with AsyncTestClient(app=create_app(settings), base_url="http://web.test") as client:
        body: dict[str, object] = {}
        for _ in range(300):
            response = await client.get("/health/ready")
            body = response.json()
            if response.status_code == 200:
                break
            assert body["projector"] == "joining its group"  # the only thing that may wait
            await asyncio.sleep(0.1)
        assert body == {
            "status": "ready",
            "database": "ok",
            "kafka": "ok",
            "projector": "ok",
            "projection_lag": 0,
            "projection": "ok",
        }


async def test_a_database_out_of_reach_fails_the_check_without_waiting_long() -> None:
    engine = make_engine("postgresql+asyncpg://censo@127.0.0.1:9/web", pool_size=1)
    try:
        assert (await database_check(engine)).startswith("error: ")
    finally:
        await engine.dispose()
