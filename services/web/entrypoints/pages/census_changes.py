"""Novedades (leaders and admins): referidos whose census answer changed between two checks
(puesto or mesa moved, cédula cancelled, no longer found), newest first, with before and after;
the badge Inicio and Referidos show while some are unseen, and «Marcar como vistas»."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from litestar import get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncEngine

from services.web.auth.viewer import Viewer
from services.web.clock import Clock
from services.web.connection import AnyRequest
from services.web.entrypoints.pages.forms import read_form
from services.web.entrypoints.pages.rendering import Layout, flash, fragment, see_other
from services.web.queries import census_changes as q
from services.web.views.census_changes import change_view

PAGE = "/novedades"


def scope(viewer: Viewer) -> UUID | None:
    """Whose changes the viewer sees: an admin everyone's, a leader their direct referrals'."""
    return None if viewer.is_admin else viewer.user_id


@get(PAGE, name="census_changes_page", include_in_schema=False)
async def census_changes_page(
    layout: NamedDependency[Layout],
    viewer: NamedDependency[Viewer],
    engine: NamedDependency[AsyncEngine],
) -> Template:
    async with engine.connect() as conn:
        rows = await q.latest(conn, scope(viewer))
        seen = await q.seen_up_to(conn, viewer.user_id)
    items = [
        {"row": row, "view": change_view(row), "new": not seen or row.changed_at > seen}
        for row in rows
    ]
    newest = rows[0].changed_at.isoformat() if rows else ""
    return layout.page("census_changes.html", 200, items=items, newest=newest)


@get(f"{PAGE}/aviso", name="census_changes_badge", include_in_schema=False)
async def census_changes_badge(
    viewer: NamedDependency[Viewer], engine: NamedDependency[AsyncEngine]
) -> Template:
    async with engine.connect() as conn:
        count = await q.unseen(conn, viewer.user_id, scope(viewer))
    return fragment("_changes_badge.html", unseen=count, cap=q.BADGE_CAP)


@post(f"{PAGE}/vistas", name="mark_census_changes_seen", include_in_schema=False)
async def mark_census_changes_seen(
    request: AnyRequest,
    viewer: NamedDependency[Viewer],
    engine: NamedDependency[AsyncEngine],
    clock: NamedDependency[Clock],
) -> Redirect:
    up_to = _moment((await read_form(request)).get("hasta", ""), clock)
    async with engine.begin() as conn:
        await q.mark_seen(conn, viewer.user_id, up_to)
    flash(request, "success", "Novedades marcadas como vistas.")
    return see_other(PAGE)


def _moment(text: str, clock: Clock) -> datetime:
    """The newest change the page showed (so one that arrived meanwhile stays unseen); now when
    the form does not say, or says something that is not a moment with its time zone."""
    try:
        moment = datetime.fromisoformat(text[:40])
    except ValueError:
        return clock.now()
    return moment if moment.tzinfo and moment <= clock.now() else clock.now()


CENSUS_CHANGE_HANDLERS = [census_changes_page, census_changes_badge, mark_census_changes_seen]
