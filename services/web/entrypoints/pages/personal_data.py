"""«Descargar mis datos» on Perfil: everything the campaign holds about the viewer, as JSON or
CSV (the right of access the data policy promises)."""

from __future__ import annotations

import structlog
from litestar import Response, get
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncEngine

from services.web.auth.viewer import Viewer
from services.web.clock import Clock
from services.web.queries.personal_data import personal_data
from services.web.views.personal_data import as_json, csv_lines

log = structlog.get_logger(__name__)


def _attachment(clock: Clock, kind: str) -> dict[str, str]:
    name = f"mis-datos-{clock.now().strftime('%Y%m%d')}.{kind}"
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}


@get("/perfil/mis-datos.json", name="personal_data_json", include_in_schema=False)
async def personal_data_json(
    viewer: NamedDependency[Viewer],
    engine: NamedDependency[AsyncEngine],
    clock: NamedDependency[Clock],
) -> Response[bytes]:
    data = await personal_data(engine, viewer.user_id, viewer.is_leader)
    log.info("personal_data.downloaded", user_id=str(viewer.user_id), kind="json")
    return Response(
        as_json(data), media_type="application/json", headers=_attachment(clock, "json")
    )


@get("/perfil/mis-datos.csv", name="personal_data_csv", include_in_schema=False)
async def personal_data_csv(
    viewer: NamedDependency[Viewer],
    engine: NamedDependency[AsyncEngine],
    clock: NamedDependency[Clock],
) -> Response[bytes]:
    data = await personal_data(engine, viewer.user_id, viewer.is_leader)
    log.info("personal_data.downloaded", user_id=str(viewer.user_id), kind="csv")
    body = "".join(csv_lines(data)).encode()
    return Response(body, media_type="text/csv; charset=utf-8", headers=_attachment(clock, "csv"))


PERSONAL_DATA_HANDLERS = [personal_data_json, personal_data_csv]
