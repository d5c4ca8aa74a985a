"""A user's census card (a fragment the pages load and the live updates re-fetch) and the
«Actualizar» button that asks the registration API for a new check."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncEngine

from services.web.adapters.registration_client import RegistrationClient
from services.web.auth.guards import FORBIDDEN
from services.web.auth.rules import can_view_census
from services.web.auth.viewer import Viewer
from services.web.clock import Clock
from services.web.entrypoints.pages.forms import state_from_answer
from services.web.entrypoints.pages.rendering import alert, fragment
from services.web.queries.census import user_census_row
from services.web.views.census import census_view

REFRESH_QUEUED = "Verificación solicitada: el estado se actualizará en esta página."


async def visible_census_row(engine: AsyncEngine, viewer: Viewer, user_id: UUID) -> Any:
    """The row of a user whose census the viewer may see; 403 otherwise, whether or not the user
    exists (only an ADMIN, who may see everyone, learns that someone does not exist: 404)."""
    async with engine.connect() as conn:
        row = await user_census_row(conn, user_id)
    referrer = row["referrer_id"] if row is not None else None
    if not can_view_census(viewer.user_id, viewer.role, user_id, referrer):
        raise PermissionDeniedException(FORBIDDEN)
    if row is None:
        raise NotFoundException("Usuario: no existe.")
    return row


def card_context(clock: Clock, viewer: Viewer, row: Any) -> dict[str, Any]:
    """What `_census_card.html` needs."""
    census = census_view(row, clock)
    return {"census": census, "user_id": row["user_id"], "show_raw": viewer.is_admin}


async def own_census_row(engine: AsyncEngine, clock: Clock, viewer: Viewer) -> Any:
    async with engine.connect() as conn:
        row = await user_census_row(conn, viewer.user_id)
    # Registered a moment ago: the projector has not caught up yet, the census is pending.
    return row or {"user_id": viewer.user_id, "registered_at": clock.now()}


@get("/censo/{user_id:uuid}", name="census_card", include_in_schema=False)
async def census_card(
    viewer: NamedDependency[Viewer],
    engine: NamedDependency[AsyncEngine],
    clock: NamedDependency[Clock],
    user_id: FromPath[UUID],
) -> Template:
    if user_id == viewer.user_id:
        row = await own_census_row(engine, clock, viewer)
    else:
        row = await visible_census_row(engine, viewer, user_id)
    return fragment("_census_card.html", **card_context(clock, viewer, row))


@post("/censo/{user_id:uuid}/actualizar", name="refresh_census", include_in_schema=False)
async def refresh_census(
    viewer: NamedDependency[Viewer],
    registration: NamedDependency[RegistrationClient],
    user_id: FromPath[UUID],
) -> Template:
    """The registration API decides (itself; a leader's referral; an admin anyone)."""
    answer = await registration.request_validation(viewer.user_id, user_id)
    if answer.ok:
        return alert("success", REFRESH_QUEUED, status=202)
    level, text = state_from_answer({}, answer).alert or ("error", answer.detail)
    return alert(level, text, status=answer.status)


CENSUS_HANDLERS = [census_card, refresh_census]
