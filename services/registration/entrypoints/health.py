"""Health and metrics of the registration API: `/health` (database and outbox backlog, 503 while
the database does not answer), `/health/live` (the process answers), `/health/ready` (its database
answers) and `/metrics` (requests by route template and status, the outbox backlog)."""

from __future__ import annotations

import asyncio

from litestar import MediaType, Response, get
from litestar.di import NamedDependency
from prometheus_client import Gauge
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from services.common.http_metrics import HttpMetrics, exposition
from services.registration.adapters.outbox_store import backlog
from services.registration.bootstrap import Services

DATABASE_TIMEOUT_S = 2.0


class RegistrationMetrics(HttpMetrics):
    def __init__(self) -> None:
        super().__init__("registration")
        self.unsent = Gauge(
            "registration_outbox_unsent", "Outbox rows not yet on Kafka.", registry=self.registry
        )
        self.oldest_unsent_age = Gauge(
            "registration_outbox_oldest_unsent_age_seconds",
            "Age of the oldest outbox row not yet on Kafka (0: none).",
            registry=self.registry,
        )


@get("/health", operation_id="health", summary="200 while the database answers; outbox backlog.")
async def health(services: NamedDependency[Services]) -> Response[dict[str, object]]:
    try:
        async with services.engine.connect() as conn:
            waiting = await backlog(conn)
    except (OSError, SQLAlchemyError) as exc:
        down: dict[str, object] = {
            "status": "unavailable",
            "database": f"error: {type(exc).__name__}",
        }
        return Response(down, status_code=503, media_type=MediaType.JSON)
    age = waiting.oldest_unsent_age_s
    late = age is not None and age > services.settings.outbox_lag_warning_s
    body: dict[str, object] = {
        "status": "degraded" if late else "ok",
        "database": "ok",
        "outbox": {"unsent": waiting.unsent, "oldest_unsent_age_s": age},
    }
    return Response(body, media_type=MediaType.JSON)


@get("/health/live", operation_id="health_live", summary="200 while the process answers.")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@get("/health/ready", operation_id="health_ready", summary="200 while the database answers.")
async def ready(services: NamedDependency[Services]) -> Response[dict[str, str]]:
    try:
        async with asyncio.timeout(DATABASE_TIMEOUT_S), services.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except (OSError, SQLAlchemyError, TimeoutError) as exc:
        down = {"status": "unready", "database": f"error: {type(exc).__name__}"}
        return Response(down, status_code=503, media_type=MediaType.JSON)
    return Response({"status": "ready", "database": "ok"}, media_type=MediaType.JSON)


@get("/metrics", operation_id="metrics", include_in_schema=False, media_type=MediaType.TEXT)
async def metrics(
    services: NamedDependency[Services], registration_metrics: NamedDependency[RegistrationMetrics]
) -> Response[bytes]:
    """The outbox backlog is read at scrape time; a database out of reach leaves the last one."""
    try:
        async with services.engine.connect() as conn:
            waiting = await backlog(conn)
    except (OSError, SQLAlchemyError):
        pass
    else:
        registration_metrics.unsent.set(waiting.unsent)
        registration_metrics.oldest_unsent_age.set(waiting.oldest_unsent_age_s or 0)
    return exposition(registration_metrics.registry)


HEALTH_HANDLERS = [health, live, ready, metrics]
