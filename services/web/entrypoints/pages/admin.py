"""Admin (ADMIN only): every user with search and filters, role changes, and each user's census
in full, with the raw response of the last failed lookup and the history of answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from litestar import Request, get, post
from litestar.response import Redirect, Template

from schemas.census import CensusStatus
from schemas.events import Role
from services.web.auth.viewer import Viewer
from services.web.entrypoints.pages.census import view_of, visible_census_row
from services.web.entrypoints.pages.consistency import until_projected
from services.web.entrypoints.pages.forms import read_form, state_from_answer
from services.web.entrypoints.pages.rendering import flash, fragment, is_htmx, page, see_other
from services.web.queries import accounts
from services.web.queries import listing as q
from services.web.queries.census import history
from services.web.views.labels import role_label
from services.web.views.pagination import Pagination, page_number
from services.web.views.summary import status_counts

STATUSES = {status.value for status in CensusStatus} | {q.STUCK}
ROLES = {role.value for role in Role}


def _stuck_before(request: Request) -> datetime:
    return datetime.now(UTC) - timedelta(seconds=request.app.state.settings.stuck_after_s)


@get("/admin", name="admin_users", include_in_schema=False)
async def admin_users(
    request: Request, busqueda: str = "", rol: str = "", estado: str = "", pagina: str = "1"
) -> Template:
    f = q.UserFilter(
        referrer_id=None,
        status=estado if estado in STATUSES else "",
        q=busqueda.strip()[:100],
        role=rol if rol in ROLES else "",
        page=page_number(pagina),
        stuck_before=_stuck_before(request),
    )
    size = request.app.state.settings.page_size
    async with request.app.state.engine.connect() as conn:
        rows, total = await q.user_page(conn, f, size)
        counts = await accounts.status_counts(conn)
        stuck = await accounts.stuck_count(conn, _stuck_before(request))
    params = {"busqueda": f.q, "rol": f.role, "estado": f.status}
    context = {
        "rows": [{"row": row, "census": view_of(request, row)} for row in rows],
        "pages": Pagination(f.page, size, total, params),
        "filter": f,
        "by_status": status_counts(counts),
        "stuck": stuck,
        "roles": [(role.value, role_label(role)) for role in Role],
    }
    if is_htmx(request) and request.headers.get("hx-target") == "admin-tabla":
        return fragment("admin/_users_table.html", **context)
    return page(request, "admin/users.html", **context)


@get("/admin/fila/{user_id:uuid}", name="admin_user_row", include_in_schema=False)
async def admin_user_row(request: Request, viewer: Viewer, user_id: UUID) -> Template:
    row = await visible_census_row(request, viewer, user_id)
    return fragment("admin/_user_row.html", item={"row": row, "census": view_of(request, row)})


@get("/admin/usuarios/{user_id:uuid}", name="admin_user", include_in_schema=False)
async def admin_user(request: Request, viewer: Viewer, user_id: UUID) -> Template:
    row = await visible_census_row(request, viewer, user_id)
    async with request.app.state.engine.connect() as conn:
        answers = await history(conn, row["cedula"])
        referrer = (
            await accounts.account_row(conn, row["referrer_id"]) if row["referrer_id"] else None
        )
    return page(
        request,
        "admin/user.html",
        row=row,
        census=view_of(request, row),
        user_id=user_id,
        show_raw=True,
        history=answers,
        referrer=referrer,
        roles=[(role.value, role_label(role)) for role in Role],
    )


@post("/admin/usuarios/{user_id:uuid}/rol", name="admin_change_role", include_in_schema=False)
async def admin_change_role(request: Request, viewer: Viewer, user_id: UUID) -> Redirect:
    role = (await read_form(request)).get("role", "")
    answer = await request.app.state.registration.change_role(viewer.user_id, user_id, role)
    if answer.ok:
        new_role = answer.body.get("role", role)
        await until_projected(request, user_id, lambda row: row.role == new_role)
        flash(request, "success", f"Rol cambiado a {role_label(answer.body['role'])}.")
    else:
        level, text = state_from_answer({}, answer).alert or (
            "error",
            next(iter(answer.field_errors.values()), answer.detail),
        )
        flash(request, level, text)
    return see_other(f"/admin/usuarios/{user_id}")


ADMIN_HANDLERS = [admin_users, admin_user_row, admin_user, admin_change_role]
