"""Referidos: the viewer's direct referrals with filter, search and pages; leaders (and admins)
also see each one's census and may ask for new checks, one, a selection or all that match."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from litestar import Request, get, post
from litestar.exceptions import PermissionDeniedException
from litestar.response import Template

from schemas.census import CensusStatus
from services.web.auth.guards import FORBIDDEN
from services.web.auth.viewer import Viewer
from services.web.entrypoints.pages.bulk import bulk_alert
from services.web.entrypoints.pages.census import view_of
from services.web.entrypoints.pages.forms import read_form, read_list
from services.web.entrypoints.pages.rendering import alert, fragment, is_htmx, page
from services.web.queries import listing as q
from services.web.views.pagination import Pagination, page_number

NOTHING_SELECTED = "Seleccione al menos un referido."
VALID_FILTERS = {status.value for status in CensusStatus} | {q.STUCK}


def referral_filter(
    request: Request, viewer: Viewer, estado: str = "", busqueda: str = "", pagina: object = 1
) -> q.UserFilter:
    """Only leaders filter by census status (others do not see it)."""
    status = estado if viewer.is_leader and estado in VALID_FILTERS else ""
    stuck_s = request.app.state.settings.stuck_after_s
    return q.UserFilter(
        referrer_id=viewer.user_id,
        status=status,
        q=busqueda.strip()[:100],
        page=page_number(pagina),  # type: ignore[arg-type]
        stuck_before=datetime.now(UTC) - timedelta(seconds=stuck_s),
    )


def _rows(request: Request, viewer: Viewer, rows: list) -> list[dict]:
    return [
        {"row": row, "census": view_of(request, row) if viewer.is_leader else None} for row in rows
    ]


@get("/referidos", name="referrals_page", include_in_schema=False)
async def referrals_page(
    request: Request, viewer: Viewer, estado: str = "", busqueda: str = "", pagina: str = "1"
) -> Template:
    f = referral_filter(request, viewer, estado, busqueda, pagina)
    size = request.app.state.settings.page_size
    async with request.app.state.engine.connect() as conn:
        rows, total = await q.user_page(conn, f, size)
    context = {
        "rows": _rows(request, viewer, rows),
        "pages": Pagination(f.page, size, total, {"estado": f.status, "busqueda": f.q}),
        "filter": f,
        "viewer": viewer,
    }
    if is_htmx(request) and request.headers.get("hx-target") == "referidos-tabla":
        return fragment("_referrals_table.html", **context)
    return page(request, "referrals.html", **context)


@get("/referidos/fila/{user_id:uuid}", name="referral_row", include_in_schema=False)
async def referral_row(request: Request, viewer: Viewer, user_id: UUID) -> Template:
    """One row again (live updates); only for a direct referral of a leader."""
    async with request.app.state.engine.connect() as conn:
        row = await q.referral_row(conn, viewer.user_id, user_id) if viewer.is_leader else None
    if row is None:
        raise PermissionDeniedException(FORBIDDEN)
    item = _rows(request, viewer, [row])[0]
    return fragment("_referral_row.html", item=item, viewer=viewer)


@post("/referidos/actualizar", name="refresh_selected", include_in_schema=False)
async def refresh_selected(request: Request, viewer: Viewer) -> Template:
    try:
        user_ids = [UUID(value) for value in await read_list(request, "user_ids")]
    except ValueError:
        user_ids = []
    if not user_ids:
        return alert("info", NOTHING_SELECTED, status=422)
    registration = request.app.state.registration
    return bulk_alert(await registration.request_bulk_validation(viewer.user_id, user_ids))


@post("/referidos/actualizar-todos", name="refresh_all", include_in_schema=False)
async def refresh_all(request: Request, viewer: Viewer) -> Template:
    """Every referral matching the current filter and search, across all pages."""
    form = await read_form(request)
    f = referral_filter(request, viewer, form.get("estado", ""), form.get("busqueda", ""))
    async with request.app.state.engine.connect() as conn:
        user_ids = await q.user_ids(conn, f)
    if not user_ids:
        return alert("info", "No hay referidos que coincidan con el filtro.", status=422)
    registration = request.app.state.registration
    return bulk_alert(await registration.request_bulk_validation(viewer.user_id, user_ids))


REFERRAL_HANDLERS = [referrals_page, referral_row, refresh_selected, refresh_all]
