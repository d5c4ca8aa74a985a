"""Admin (ADMIN only): every user with search and filters (disabled accounts too), role changes,
and each user's page (`admin_user_page.py`). Disabling an account is `admin_accounts.py`; editing
it and handing referrals over, `admin_edits.py` and `hand_over.py`."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.census import CensusStatus
from schemas.events import Role
from services.web.adapters.registration_client import RegistrationClient
from services.web.adapters.voting_place_tables import EVERYONE
from services.web.auth.viewer import Viewer
from services.web.clock import Clock
from services.web.connection import AnyRequest
from services.web.entrypoints.pages.admin_user_page import ROLE_CHOICES, user_page
from services.web.entrypoints.pages.census import visible_census_row
from services.web.entrypoints.pages.charts import campaign_charts
from services.web.entrypoints.pages.consistency import until_projected
from services.web.entrypoints.pages.forms import read_form, state_from_answer
from services.web.entrypoints.pages.rendering import (
    Layout,
    flash,
    fragment,
    is_htmx,
    see_other,
)
from services.web.queries import accounts
from services.web.queries import listing as q
from services.web.queries.charts import people_per_status
from services.web.settings import WebSettings
from services.web.views.census import census_view
from services.web.views.labels import role_label
from services.web.views.pagination import Pagination, page_number
from services.web.views.summary import status_counts

STATUSES = {status.value for status in CensusStatus} | {q.STUCK}
ROLES = {role.value for role in Role}
ACCOUNT_CHOICES = [(q.ACTIVE, "Activas"), (q.DISABLED, "Desactivadas")]


@get("/admin", name="admin_users", include_in_schema=False)
async def admin_users(
    request: AnyRequest,
    layout: NamedDependency[Layout],
    engine: NamedDependency[AsyncEngine],
    settings: NamedDependency[WebSettings],
    clock: NamedDependency[Clock],
    busqueda: FromQuery[str] = "",
    rol: FromQuery[str] = "",
    estado: FromQuery[str] = "",
    cuenta: FromQuery[str] = "",
    pagina: FromQuery[str] = "1",
) -> Template:
    stuck_before = clock.stuck_before()
    f = q.UserFilter(
        referrer_id=None,
        status=estado if estado in STATUSES else "",
        q=busqueda.strip()[:100],
        role=rol if rol in ROLES else "",
        page=page_number(pagina),
        account=cuenta if cuenta in (q.ACTIVE, q.DISABLED) else "",
        stuck_before=stuck_before,
    )
    size = settings.page_size
    async with engine.connect() as conn:
        rows, total = await q.user_page(conn, f, size)
        counts = await people_per_status(conn, EVERYONE)  # kept by the projector
        stuck = await accounts.stuck_count(conn, stuck_before)
    params = {"busqueda": f.q, "rol": f.role, "estado": f.status, "cuenta": f.account}
    context: dict[str, Any] = {
        "rows": [{"row": row, "census": census_view(row, clock)} for row in rows],
        "pages": Pagination(f.page, size, total, params),
        "filter": f,
        "by_status": status_counts(counts),
        "stuck": stuck,
        "roles": ROLE_CHOICES,
        "accounts": ACCOUNT_CHOICES,
    }
    if is_htmx(request) and request.headers.get("hx-target") == "admin-tabla":
        return fragment("admin/_users_table.html", **context)
    return layout.page("admin/users.html", **context, **await campaign_charts(engine, clock))


@get("/admin/fila/{user_id:uuid}", name="admin_user_row", include_in_schema=False)
async def admin_user_row(
    viewer: NamedDependency[Viewer],
    engine: NamedDependency[AsyncEngine],
    clock: NamedDependency[Clock],
    user_id: FromPath[UUID],
) -> Template:
    row = await visible_census_row(engine, viewer, user_id)
    return fragment("admin/_user_row.html", item={"row": row, "census": census_view(row, clock)})


@get("/admin/usuarios/{user_id:uuid}", name="admin_user", include_in_schema=False)
async def admin_user(
    layout: NamedDependency[Layout],
    viewer: NamedDependency[Viewer],
    engine: NamedDependency[AsyncEngine],
    clock: NamedDependency[Clock],
    user_id: FromPath[UUID],
) -> Template:
    return await user_page(layout, viewer, engine, clock, user_id)


@post("/admin/usuarios/{user_id:uuid}/rol", name="admin_change_role", include_in_schema=False)
async def admin_change_role(
    request: AnyRequest,
    viewer: NamedDependency[Viewer],
    registration: NamedDependency[RegistrationClient],
    engine: NamedDependency[AsyncEngine],
    settings: NamedDependency[WebSettings],
    user_id: FromPath[UUID],
) -> Redirect:
    role = (await read_form(request)).get("role", "")
    answer = await registration.change_role(viewer.user_id, user_id, role)
    if answer.ok:
        new_role = answer.body.get("role", role)
        await until_projected(
            engine, settings.read_your_writes_s, user_id, lambda row: row.role == new_role
        )
        flash(request, "success", f"Rol cambiado a {role_label(answer.body['role'])}.")
    else:
        level, text = state_from_answer({}, answer).alert or (
            "error",
            next(iter(answer.field_errors.values()), answer.detail),
        )
        flash(request, level, text)
    return see_other(f"/admin/usuarios/{user_id}")


ADMIN_HANDLERS = [admin_users, admin_user_row, admin_user, admin_change_role]
