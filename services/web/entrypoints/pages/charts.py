"""The pictures of Inicio (a person's own referidos; their census for leaders), Admin (the whole
campaign, with its top municipios and puestos) and Operación (lookups, lag and backlog of the
last hours). Each page draws them at first; these fragments redraw them when the page hears of a
change (Inicio, Admin) or every minute (Operación)."""

from __future__ import annotations

from typing import Any

from litestar import get
from litestar.di import NamedDependency
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncEngine

from services.web.adapters.voting_place_tables import EVERYONE
from services.web.auth.viewer import Viewer
from services.web.clock import Clock
from services.web.entrypoints.pages.rendering import fragment
from services.web.queries import charts as q
from services.web.views import flow_charts, progress_charts
from services.web.views.flow_charts import HOURS


async def own_charts(engine: AsyncEngine, clock: Clock, viewer: Viewer) -> dict[str, Any]:
    async with engine.connect() as conn:
        per_day = await q.signups_per_day(conn, viewer.user_id)
        people = await q.people_per_status(conn, viewer.user_id) if viewer.is_leader else {}
    signups = progress_charts.signups_chart(
        per_day, clock.today(), viewer.referral_goal, "sus referidos"
    )
    status = progress_charts.status_chart(people, "referidos") if people else None
    return {"charts": {"signups": signups, "status": status}}


async def campaign_charts(engine: AsyncEngine, clock: Clock) -> dict[str, Any]:
    async with engine.connect() as conn:
        per_day = await q.signups_per_day(conn, EVERYONE)
        people = await q.people_per_status(conn, EVERYONE)
        municipios = await q.top_places(conn, "departamento", "municipio")
        puestos = await q.top_places(conn, "municipio", "puesto")
    return {
        "charts": {
            "signups": progress_charts.signups_chart(per_day, clock.today(), None, "la campaña"),
            "status": progress_charts.status_chart(people, "personas"),
            "municipios": progress_charts.places_chart(
                "grafico-municipios", "Municipios con más personas", municipios, "municipios"
            ),
            "puestos": progress_charts.places_chart(
                "grafico-puestos", "Puestos con más personas", puestos, "puestos"
            ),
        }
    }


async def flow_context(engine: AsyncEngine, clock: Clock) -> dict[str, Any]:
    now = clock.now()
    since = flow_charts.minutes(now)[0]
    async with engine.connect() as conn:
        lookups = await q.lookups_since(conn, since)
        samples = await q.samples_since(conn, since)
    charts = [*flow_charts.lookup_charts(lookups, now), flow_charts.flow_chart(samples, now)]
    return {"flow_charts": charts, "flow_hours": HOURS}


@get("/inicio/graficos", name="home_charts", include_in_schema=False)
async def home_charts(
    viewer: NamedDependency[Viewer],
    engine: NamedDependency[AsyncEngine],
    clock: NamedDependency[Clock],
) -> Template:
    context = await own_charts(engine, clock, viewer)
    return fragment("_home_charts.html", viewer=viewer, **context)


@get("/admin/graficos", name="admin_charts", include_in_schema=False)
async def admin_charts(
    engine: NamedDependency[AsyncEngine], clock: NamedDependency[Clock]
) -> Template:
    return fragment("admin/_campaign_charts.html", **await campaign_charts(engine, clock))


@get("/admin/operacion/graficos", name="operations_charts", include_in_schema=False)
async def operations_charts(
    engine: NamedDependency[AsyncEngine], clock: NamedDependency[Clock]
) -> Template:
    return fragment("admin/_flow_charts.html", **await flow_context(engine, clock))


CHART_HANDLERS = [home_charts, admin_charts, operations_charts]
