"""Referidos as CSV (the same filter and search as the page), streamed row by row."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Request, get
from litestar.response import Stream

from services.web.auth.viewer import Viewer
from services.web.entrypoints.pages.census import view_of
from services.web.entrypoints.pages.referrals import referral_filter
from services.web.queries.listing import stream_users
from services.web.views.csv_export import csv_lines
from services.web.views.formatting import date_time

BASIC = ["Nombre", "Cédula", "Teléfono", "Fecha de registro"]
CENSUS = ["Estado", "Departamento", "Municipio", "Puesto", "Dirección", "Mesa", "Verificado"]


def _cells(request: Request, leader: bool):  # type: ignore[no-untyped-def]
    def cells(row: Any) -> list[object]:
        basic = [row["nombre"], row["cedula"], row["telefono"], date_time(row["registered_at"])]
        if not leader:
            return basic
        census = view_of(request, row)
        place = census.place or {}
        status = census.label + (f" (atascado {census.stuck_for})" if census.stuck_for else "")
        return [
            *basic,
            status,
            *(place.get(k) for k in ("departamento", "municipio", "puesto", "direccion", "mesa")),
            date_time(census.fetched_at) if census.fetched_at else "",
        ]

    return cells


@get("/referidos.csv", name="referrals_csv", include_in_schema=False)
async def referrals_csv(
    request: Request, viewer: Viewer, estado: str = "", busqueda: str = ""
) -> Stream:
    f = referral_filter(request, viewer, estado, busqueda)
    header = BASIC + CENSUS if viewer.is_leader else BASIC
    rows = stream_users(request.app.state.engine, f)
    name = f"referidos-{datetime.now(UTC).strftime('%Y%m%d-%H%M')}.csv"
    return Stream(
        csv_lines(header, rows, _cells(request, viewer.is_leader)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


EXPORT_HANDLERS = [referrals_csv]
