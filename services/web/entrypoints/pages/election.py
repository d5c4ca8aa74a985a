"""Calendario electoral (ADMIN only, under Operación): the election date, and revalidations of
everyone planned a number of days before it. Each change is audited on ops.audit in the same
transaction that stores it: Kafka out of reach means nothing changed, and the page says so."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import structlog
from litestar import get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.web.adapters import election_calendar as calendar
from services.web.adapters import planned_runs as plans
from services.web.adapters.event_flow import EventFlow, KafkaUnreachable
from services.web.auth.viewer import Viewer
from services.web.clock import Clock
from services.web.connection import AnyRequest
from services.web.entrypoints.pages.forms import FormState, read_form
from services.web.entrypoints.pages.operations import PAGE, admin_operator
from services.web.entrypoints.pages.rendering import Layout, flash, see_other
from services.web.views.election import FieldError, countdown
from services.web.views.election import parse_election_date as parse_date

log = structlog.get_logger(__name__)
CALENDAR = f"{PAGE}/calendario"
NOT_SAVED = "No se guardó el cambio: Kafka no responde y cada cambio queda auditado allí."


async def calendar_page(
    layout: Layout, engine: AsyncEngine, clock: Clock, **forms: FormState
) -> Template:
    """The page; `date_form` or `plan_form` after a refused submission (then a 422)."""
    async with engine.connect() as conn:
        day = await calendar.election_date(conn)
        planned = await plans.planned(conn)
    status = 422 if any(form.failed for form in forms.values()) else 200
    current = FormState(values={"fecha": day.isoformat()} if day else {})
    context = {"date_form": current, "plan_form": FormState()} | forms
    days_left = countdown(day, clock.today())
    facts = {"election_day": day, "days_left": days_left, "planned": planned}
    return layout.page("admin/election.html", status, **facts, **context)


async def audited(
    request: AnyRequest,
    engine: AsyncEngine,
    event_flow: EventFlow,
    change: Callable[[AsyncConnection], Awaitable[bool]],
    audit: tuple[str, str, str],
) -> bool | None:
    """Run `change` and, when it changed something, publish its audit record (action, target,
    operator) in the same transaction. What `change` returned; None when Kafka was out of reach
    (flashed; the transaction rolled back, nothing changed)."""
    action, target, operator = audit
    try:
        async with engine.begin() as conn:
            changed = await change(conn)
            if changed:
                await event_flow.audit(action, target, operator)
            return changed
    except KafkaUnreachable as exc:
        log.warning("web.calendar.not_audited", action=action, error=str(exc))
        flash(request, "error", NOT_SAVED)
        return None


@get(CALENDAR, name="election_calendar_page", include_in_schema=False)
async def election_calendar_page(
    layout: NamedDependency[Layout],
    engine: NamedDependency[AsyncEngine],
    clock: NamedDependency[Clock],
) -> Template:
    return await calendar_page(layout, engine, clock)


@post(f"{CALENDAR}/fecha", name="set_election_date", include_in_schema=False)
async def set_election_date(
    request: AnyRequest,
    layout: NamedDependency[Layout],
    viewer: NamedDependency[Viewer],
    engine: NamedDependency[AsyncEngine],
    event_flow: NamedDependency[EventFlow],
    clock: NamedDependency[Clock],
) -> Template | Redirect:
    text = (await read_form(request)).get("fecha", "")
    try:
        day = parse_date(text, clock.today())
    except FieldError as error:
        form = FormState(values={"fecha": text[:40]}, errors={"fecha": str(error)})
        return await calendar_page(layout, engine, clock, date_form=form)
    operator = admin_operator(viewer)

    async def store(conn: AsyncConnection) -> bool:
        moved = await calendar.set_election_date(conn, day, operator, clock.now())
        log.info(
            "web.calendar.election_date_set", plans_moved=moved, operator_id=str(viewer.user_id)
        )
        return True

    audit = ("election-date", day.isoformat(), operator)
    if await audited(request, engine, event_flow, store, audit):
        flash(request, "success", f"Fecha de las elecciones: {day:%d/%m/%Y}.")
    return see_other(CALENDAR)


ELECTION_HANDLERS = [election_calendar_page, set_election_date]
