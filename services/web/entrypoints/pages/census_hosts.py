"""Operación's «Reanudar» (ADMIN only): an operator read why a census host's circuit opened and
lets its lookups run again; the workers get the order on census.control, ops.audit the record."""

from __future__ import annotations

import structlog
from litestar import post
from litestar.di import NamedDependency
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncEngine

from services.kafka_admin.census_hosts import known_hosts
from services.web.adapters.event_flow import EventFlow, KafkaUnreachable
from services.web.auth.viewer import Viewer
from services.web.connection import AnyRequest
from services.web.entrypoints.pages.forms import read_form
from services.web.entrypoints.pages.operations import PAGE, admin_operator
from services.web.entrypoints.pages.rendering import flash, see_other
from services.web.queries.capacity import latest_capacity

log = structlog.get_logger(__name__)


@post(f"{PAGE}/reanudar", name="operations_resume_host", include_in_schema=False)
async def operations_resume_host(
    request: AnyRequest,
    viewer: NamedDependency[Viewer],
    event_flow: NamedDependency[EventFlow],
    engine: NamedDependency[AsyncEngine],
) -> Redirect:
    host = (await read_form(request)).get("host", "")
    async with engine.connect() as conn:
        known = known_hosts(await latest_capacity(conn))
    if host not in known:
        flash(request, "error", "Elija un sitio del censo válido.")
        return see_other(PAGE)
    try:
        await event_flow.resume_host(host, admin_operator(viewer))
    except KafkaUnreachable as exc:
        log.warning("web.operations.resume_failed", host=host, error=str(exc))
        flash(request, "error", f"No se pudo reanudar {host}: Kafka no responde. Intente de nuevo.")
        return see_other(PAGE)
    log.info("web.operations.host_resumed", host=host, operator_id=str(viewer.user_id))
    flash(request, "success", resumed_text(host))
    return see_other(PAGE)


def resumed_text(host: str) -> str:
    return (
        f"Se pidió a los trabajadores reanudar las consultas a {host}. "
        "El estado se actualizará en unos segundos."
    )


CENSUS_HOST_HANDLERS = [operations_resume_host]
