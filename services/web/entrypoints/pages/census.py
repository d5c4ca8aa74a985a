"""A user's census card (a fragment the pages load and the live updates re-fetch) and the
«Actualizar» button that asks the registration API for a new check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from litestar import Request, get, post
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.response import Template

from services.web.auth.guards import FORBIDDEN
from services.web.auth.rules import can_view_census
from services.web.auth.viewer import Viewer
from services.web.entrypoints.pages.forms import state_from_answer
from services.web.entrypoints.pages.rendering import alert, fragment
from services.web.queries.census import user_census_row
from services.web.views.census import CensusView, census_view

REFRESH_QUEUED = "Verificación solicitada: el estado se actualizará en esta página."


def view_of(request: Request, row: Any) -> CensusView:
    stuck_after = timedelta(seconds=request.app.state.settings.stuck_after_s)
    return census_view(row, datetime.now(UTC), stuck_after)


async def visible_census_row(request: Request, viewer: Viewer, user_id: UUID) -> Any:
    """The row of a user whose census the viewer may see; 403 otherwise, whether or not the user
    exists (only an ADMIN, who may see everyone, learns that someone does not exist: 404)."""
    async with request.app.state.engine.connect() as conn:
        row = await user_census_row(conn, user_id)
    referrer = row["referrer_id"] if row is not None else None
    if not can_view_census(viewer.user_id, viewer.role, user_id, referrer):
        raise PermissionDeniedException(FORBIDDEN)
    if row is None:
        raise NotFoundException("Usuario: no existe.")
    return row


def card_context(request: Request, viewer: Viewer, row: Any) -> dict[str, Any]:
    """What `_census_card.html` needs."""
    return {"census": view_of(request, row), "user_id": row["user_id"], "show_raw": viewer.is_admin}


async def own_census_row(request: Request, viewer: Viewer) -> Any:
    async with request.app.state.engine.connect() as conn:
        row = await user_census_row(conn, viewer.user_id)
    # Registered a moment ago: the projector has not caught up yet, the census is pending.
    return row or {"user_id": viewer.user_id, "registered_at": datetime.now(UTC)}


@get("/censo/{user_id:uuid}", name="census_card", include_in_schema=False)
async def census_card(request: Request, viewer: Viewer, user_id: UUID) -> Template:
    if user_id == viewer.user_id:
        row = await own_census_row(request, viewer)
    else:
        row = await visible_census_row(request, viewer, user_id)
    return fragment("_census_card.html", **card_context(request, viewer, row))


@post("/censo/{user_id:uuid}/actualizar", name="refresh_census", include_in_schema=False)
async def refresh_census(request: Request, viewer: Viewer, user_id: UUID) -> Template:
    """The registration API decides (itself; a leader's referral; an admin anyone)."""
    answer = await request.app.state.registration.request_validation(viewer.user_id, user_id)
    if answer.ok:
        return alert("success", REFRESH_QUEUED, status=202)
    level, text = state_from_answer({}, answer).alert or ("error", answer.detail)
    return alert(level, text, status=answer.status)


CENSUS_HANDLERS = [census_card, refresh_census]
