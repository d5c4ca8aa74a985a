"""Health and metrics of a web process, for load balancers, orchestrators and Prometheus:
`/health/live` (the process answers), `/health/ready` (it can serve: its database answers and,
when it projects, Kafka answers, its consumers joined their group and their lag is at most
WEB_READY_MAX_LAG), `/health` (live, for older callers) and `/metrics`."""

from __future__ import annotations

import asyncio

from litestar import MediaType, Response, get
from litestar.di import NamedDependency
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.http_metrics import exposition
from services.web.adapters.projector_watch import ProjectorWatch
from services.web.metrics import WebMetrics
from services.web.settings import WebSettings

DATABASE_TIMEOUT_S = 2.0
Checks = dict[str, object]


@get("/health", name="health", operation_id="health", summary="Alias of /health/live.")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@get("/health/live", name="health_live", include_in_schema=False)
async def live() -> dict[str, str]:
    return {"status": "ok"}


@get("/health/ready", name="health_ready", include_in_schema=False)
async def ready(
    engine: NamedDependency[AsyncEngine],
    projector: NamedDependency[ProjectorWatch | None],
    settings: NamedDependency[WebSettings],
) -> Response[Checks]:
    checks: Checks = {"database": await database_check(engine)}
    if projector is not None:
        checks |= await projector_checks(projector, settings.ready_max_lag)
    ok = all(value == "ok" for key, value in checks.items() if key != "projection_lag")
    return Response(
        {"status": "ready" if ok else "unready", **checks},
        status_code=200 if ok else 503,
        media_type=MediaType.JSON,
    )


@get("/metrics", name="metrics", include_in_schema=False, media_type=MediaType.TEXT)
async def metrics(
    web_metrics: NamedDependency[WebMetrics], projector: NamedDependency[ProjectorWatch | None]
) -> Response[bytes]:
    web_metrics.projection_lag.set(await projector.lag() if projector else 0)
    return exposition(web_metrics.registry)


async def database_check(engine: AsyncEngine) -> str:
    try:
        async with asyncio.timeout(DATABASE_TIMEOUT_S), engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except (OSError, SQLAlchemyError, TimeoutError) as exc:
        return f"error: {type(exc).__name__}"
    return "ok"


async def projector_checks(projector: ProjectorWatch, max_lag: int) -> Checks:
    lag = await projector.lag()
    return {
        "kafka": "ok" if await projector.reachable() else "unreachable",
        "projector": "ok" if projector.joined else "joining its group",
        "projection_lag": lag,
        "projection": "ok" if lag <= max_lag else f"behind by more than {max_lag} records",
    }


# Operations routes, not in the JSON API contract (`/health` is, for older callers).
OPS_HANDLERS = [live, ready, metrics]
