"""/health: database reachability and the outbox backlog (what waits for Kafka, since when)."""

from __future__ import annotations

from litestar import MediaType, Response, get
from litestar.di import NamedDependency
from sqlalchemy.exc import SQLAlchemyError

from services.registration.adapters.outbox_store import backlog
from services.registration.bootstrap import Services


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
