"""Referidos: the viewer's direct referrals with filter, search and pages; leaders (and admins)
also see each one's census and may ask for new checks, one, a selection or all that match."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from litestar import get, post
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.census import CensusStatus
from services.web.adapters.registration_client import RegistrationClient
from services.web.auth.guards import FORBIDDEN
from services.web.auth.viewer import Viewer
from services.web.clock import Clock
from services.web.connection import AnyRequest
from services.web.entrypoints.pages.bulk import bulk_alert
from services.web.entrypoints.pages.forms import read_form, read_list
from services.web.entrypoints.pages.rendering import Layout, alert, fragment, is_htmx
from services.web.queries import listing as q
from services.web.settings import WebSettings
from services.web.views.census import census_view
from services.web.views.pagination import Pagination, page_number

NOTHING_SELECTED = "Seleccione al menos un referido."
VALID_FILTERS = {status.value for status in CensusStatus} | {q.STUCK}


def referral_filter(
    clock: Clock, viewer: Viewer, estado: str = "", busqueda: str = "", pagina: str = "1"
) -> q.UserFilter:
    """Only leaders filter by census status (others do not see it)."""
    status = estado if viewer.is_leader and estado in VALID_FILTERS else ""
    return q.UserFilter(
        referrer_id=viewer.user_id,
        status=status,
        q=busqueda.strip()[:100],
        page=page_number(pagina),
        stuck_before=clock.stuck_before(),
    )


def _rows(clock: Clock, viewer: Viewer, rows: Sequence[RowMapping]) -> list[dict[str, Any]]:
    return [
        {"row": row, "census": census_view(row, clock) if viewer.is_leader else None}
        for row in rows
    ]


@get("/referidos", name="referrals_page", include_in_schema=False)
async def referrals_page(
    request: AnyRequest,
    layout: NamedDependency[Layout],
    viewer: NamedDependency[Viewer],
    engine: NamedDependency[AsyncEngine],
    settings: NamedDependency[WebSettings],
    clock: NamedDependency[Clock],
    estado: FromQuery[str] = "",
    busqueda: FromQuery[str] = "",
    pagina: FromQuery[str] = "1",
) -> Template:
    f = referral_filter(clock, viewer, estado, busqueda, pagina)
    size = settings.page_size
    async with engine.connect() as conn:
        rows, total = await q.user_page(conn, f, size)
    context: dict[str, Any] = {
        "rows": _rows(clock, viewer, rows),
        "pages": Pagination(f.page, size, total, {"estado": f.status, "busqueda": f.q}),
        "filter": f,
        "viewer": viewer,
    }
    if is_htmx(request) and request.headers.get("hx-target") == "referidos-tabla":
        return fragment("_referrals_table.html", **context)
    return layout.page("referrals.html", **context)


@get("/referidos/fila/{user_id:uuid}", name="referral_row", include_in_schema=False)
async def referral_row(
    viewer: NamedDependency[Viewer],
    engine: NamedDependency[AsyncEngine],
    clock: NamedDependency[Clock],
    user_id: FromPath[UUID],
) -> Template:
    """One row again (live updates); only for a direct referral of a leader."""
    async with engine.connect() as conn:
        row = await q.referral_row(conn, viewer.user_id, user_id) if viewer.is_leader else None
    if row is None:
        raise PermissionDeniedException(FORBIDDEN)
    item = _rows(clock, viewer, [row])[0]
    return fragment("_referral_row.html", item=item, viewer=viewer)


@post("/referidos/actualizar", name="refresh_selected", include_in_schema=False)
async def refresh_selected(
    request: AnyRequest,
    viewer: NamedDependency[Viewer],
    registration: NamedDependency[RegistrationClient],
) -> Template:
    try:
        user_ids = [UUID(value) for value in await read_list(request, "user_ids")]
    except ValueError:
        user_ids = []
    if not user_ids:
        return alert("info", NOTHING_SELECTED, status=422)
    return bulk_alert(await registration.request_bulk_validation(viewer.user_id, user_ids))


@post("/referidos/actualizar-todos", name="refresh_all", include_in_schema=False)
async def refresh_all(
    request: AnyRequest,
    viewer: NamedDependency[Viewer],
    registration: NamedDependency[RegistrationClient],
    engine: NamedDependency[AsyncEngine],
    clock: NamedDependency[Clock],
) -> Template:
    """Every referral matching the current filter and search, across all pages."""
    form = await read_form(request)
    f = referral_filter(clock, viewer, form.get("estado", ""), form.get("busqueda", ""))
    async with engine.connect() as conn:
        user_ids = await q.user_ids(conn, f)
    if not user_ids:
        return alert("info", "No hay referidos que coincidan con el filtro.", status=422)
    return bulk_alert(await registration.request_bulk_validation(viewer.user_id, user_ids))


REFERRAL_HANDLERS = [referrals_page, referral_row, refresh_selected, refresh_all]
