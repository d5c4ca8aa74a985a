"""The registration API's probes and metrics: live and ready need no token; `/metrics` counts
requests by route template and status and reads the outbox backlog at scrape time."""

from __future__ import annotations

import re

from litestar.testing import AsyncTestClient

from tests.integration.registration.support import register

NO_TOKEN = {"Authorization": ""}


async def test_live_and_ready_answer_without_a_token(api: AsyncTestClient) -> None:
    live = await api.get("/health/live", headers=NO_TOKEN)
    assert live.status_code == 200 and live.json() == {"status": "ok"}
    ready = await api.get("/health/ready", headers=NO_TOKEN)
    assert ready.status_code == 200 and ready.json() == {"status": "ready", "database": "ok"}


async def test_metrics_count_requests_by_route_and_show_the_outbox_backlog(
    api: AsyncTestClient,
) -> None:
    await register(api)
    await api.post("/api/users", json={})  # refused: 422
    text = (await api.get("/metrics", headers=NO_TOKEN)).text
    assert 'registration_http_requests_total{method="POST",route="/api/users",status="201"}' in text
    assert 'registration_http_requests_total{method="POST",route="/api/users",status="422"}' in text
    unsent = re.search(r"^registration_outbox_unsent (\S+)$", text, re.MULTILINE)
    assert unsent is not None and float(unsent[1]) >= 1  # no relay runs with this app
    assert "registration_outbox_oldest_unsent_age_seconds" in text
