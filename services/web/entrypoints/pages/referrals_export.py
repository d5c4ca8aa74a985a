"""Referidos as CSV (the same filter and search as the page), streamed row by row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Stream
from sqlalchemy.ext.asyncio import AsyncEngine

from services.web.auth.viewer import Viewer
from services.web.clock import Clock
from services.web.entrypoints.pages.referrals import referral_filter
from services.web.queries.listing import stream_users
from services.web.views.census import census_view
from services.web.views.csv_export import csv_lines
from services.web.views.formatting import date_time

BASIC = ["Nombre", "Cédula", "Teléfono", "Fecha de registro"]
CENSUS = [
    "Estado",
    "Departamento",
    "Municipio",
    "Puesto",
    "Dirección",
    "Mesa",
    "Verificado",
    "Detalle",  # what happened, in plain Spanish (never the worker's technical reason)
]


def _cells(clock: Clock, leader: bool) -> Callable[[Any], list[object]]:
    def cells(row: Any) -> list[object]:
        basic = [row["nombre"], row["cedula"], row["telefono"], date_time(row["registered_at"])]
        if not leader:
            return basic
        census = census_view(row, clock)
        place = census.place or {}
        status = census.label + (f" (atascado {census.stuck_for})" if census.stuck_for else "")
        return [
            *basic,
            status,
            *(place.get(k) for k in ("departamento", "municipio", "puesto", "direccion", "mesa")),
            date_time(census.fetched_at) if census.fetched_at else "",
            census.explanation.text,
        ]

    return cells


@get("/referidos.csv", name="referrals_csv", include_in_schema=False)
async def referrals_csv(
    viewer: NamedDependency[Viewer],
    engine: NamedDependency[AsyncEngine],
    clock: NamedDependency[Clock],
    estado: FromQuery[str] = "",
    busqueda: FromQuery[str] = "",
) -> Stream:
    f = referral_filter(clock, viewer, estado, busqueda)
    header = BASIC + CENSUS if viewer.is_leader else BASIC
    rows = stream_users(engine, f)
    name = f"referidos-{clock.now().strftime('%Y%m%d-%H%M')}.csv"
    return Stream(
        csv_lines(header, rows, _cells(clock, viewer.is_leader)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


EXPORT_HANDLERS = [referrals_csv]
