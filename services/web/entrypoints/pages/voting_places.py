"""Dónde votan (leaders and admins): how many of the viewer's people vote at each departamento,
municipio, puesto and mesa, drilled one level per page; the counts as CSV and the printable list
of a puesto for the campaign's witnesses. A leader sees their direct referrals; an admin sees
everyone, or one leader's referrals (`lider`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

from litestar import get
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery
from litestar.response import Redirect, Stream, Template
from sqlalchemy.ext.asyncio import AsyncEngine

from services.web.auth.viewer import Viewer
from services.web.clock import Clock
from services.web.entrypoints.pages.rendering import Layout, see_other
from services.web.queries import voting_places as q
from services.web.views import voting_places as v
from services.web.views.csv_export import csv_lines

CSV_HEADER = ["Departamento", "Municipio", "Puesto", "Dirección", "Mesa", "Personas", "Cómo llegar"]
MAX_NAME = 300  # the longest place name the read model holds


def _text(value: str) -> str:
    """A place name from the query string, as the read model could hold it."""
    return value.replace("\x00", "").strip()[:MAX_NAME]


def _leader(viewer: Viewer, lider: str) -> UUID | None:
    """A leader always sees their own people; an admin everyone, or the leader they chose."""
    if not viewer.is_admin:
        return viewer.user_id
    try:
        return UUID(lider[:40])
    except ValueError:
        return None


def provide_drill(
    viewer: NamedDependency[Viewer],
    lider: FromQuery[str] = "",
    departamento: FromQuery[str] = "",
    municipio: FromQuery[str] = "",
    puesto: FromQuery[str] = "",
) -> q.Drill:
    """The level the page shows, from its query string, within what the viewer may see."""
    return q.Drill(_leader(viewer, lider), _text(departamento), _text(municipio), _text(puesto))


_DRILL = {"drill": Provide(provide_drill, sync_to_thread=False)}


def _as_linked(viewer: Viewer, drill: q.Drill) -> q.Drill:
    """The drill the page's links carry: a leader's own id stays out of them."""
    return drill if viewer.is_admin else q.Drill(None, *(value for _, value in drill.chosen))


@get(v.PAGE, name="voting_places_page", dependencies=_DRILL, include_in_schema=False)
async def voting_places_page(
    layout: NamedDependency[Layout],
    viewer: NamedDependency[Viewer],
    engine: NamedDependency[AsyncEngine],
    drill: NamedDependency[q.Drill],
) -> Template:
    async with engine.connect() as conn:
        rows = await q.rolled_up(conn, drill)
        leaders = await q.leaders(conn) if viewer.is_admin else []
    linked = _as_linked(viewer, drill)
    context = {
        "drill": drill,
        "linked": linked,
        "rows": rows,
        "total": sum(row.people for row in rows),
        "leaders": leaders,
        "crumbs": v.crumbs(linked),
        "level_title": v.LEVEL_TITLES[drill.level],
        "link": v.link,
        "map_link": v.map_link,
        "page": v.PAGE,
    }
    return layout.page("voting_places.html", 200, **context)


@get(f"{v.PAGE}.csv", name="voting_places_csv", dependencies=_DRILL, include_in_schema=False)
async def voting_places_csv(
    engine: NamedDependency[AsyncEngine],
    clock: NamedDependency[Clock],
    drill: NamedDependency[q.Drill],
) -> Stream:
    async with engine.connect() as conn:
        rows = await q.every_mesa(conn, drill)

    name = f"puestos-{clock.now().strftime('%Y%m%d-%H%M')}.csv"
    return Stream(
        csv_lines(CSV_HEADER, _each(rows), _csv_cells),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def _each(rows: q.Rows) -> AsyncIterator[Any]:
    for row in rows:
        yield row


def _csv_cells(r: Any) -> list[object]:
    link = v.map_link(r.puesto, r.direccion, r.municipio, r.departamento)
    return [r.departamento, r.municipio, r.puesto, r.direccion, r.mesa, r.people, link]


@get(f"{v.PAGE}/lista", name="voting_place_list", dependencies=_DRILL, include_in_schema=False)
async def voting_place_list(
    layout: NamedDependency[Layout],
    viewer: NamedDependency[Viewer],
    engine: NamedDependency[AsyncEngine],
    drill: NamedDependency[q.Drill],
) -> Template | Redirect:
    if drill.level != "mesa":  # a list is of one puesto
        return see_other(v.link(v.PAGE, _as_linked(viewer, drill)))
    async with engine.connect() as conn:
        people = await q.people_at(conn, drill)
        town = q.Drill(drill.leader_id, drill.departamento, drill.municipio)
        places = await q.rolled_up(conn, town)
    address = next((row.direccion for row in places if row.name == drill.puesto), "")
    context = {
        "drill": drill,
        "people": people,
        "direccion": address,
        "shown_cedula": lambda cedula: v.shown_cedula(viewer, cedula),
        "back": v.link(v.PAGE, _as_linked(viewer, drill)),
    }
    return layout.page("voting_place_list.html", 200, **context)


VOTING_PLACE_HANDLERS = [voting_places_page, voting_places_csv, voting_place_list]
