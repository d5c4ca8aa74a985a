"""Calendario electoral, its planned revalidations (ADMIN only): «revalidar todo N días antes»
recorded as a planned run, run when due by `censo ops plans run-due`; or called off."""

from __future__ import annotations

from litestar import post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from services.common.text import ascii_number
from services.web.adapters import election_calendar as calendar
from services.web.adapters import planned_runs as plans
from services.web.adapters.event_flow import EventFlow
from services.web.auth.viewer import Viewer
from services.web.clock import Clock
from services.web.connection import AnyRequest
from services.web.entrypoints.pages.election import CALENDAR, audited, calendar_page
from services.web.entrypoints.pages.forms import FormState, read_form
from services.web.entrypoints.pages.operations import admin_operator
from services.web.entrypoints.pages.rendering import Layout, flash, see_other
from services.web.views.election import FieldError, parse_days_before

ALREADY_PLANNED = "Días antes: ya hay una revalidación planeada para ese día."
GONE = "Esa revalidación ya no estaba planeada (ya empezó o se canceló)."


@post(f"{CALENDAR}/plan", name="plan_revalidation", include_in_schema=False)
async def plan_revalidation(
    request: AnyRequest,
    layout: NamedDependency[Layout],
    viewer: NamedDependency[Viewer],
    engine: NamedDependency[AsyncEngine],
    event_flow: NamedDependency[EventFlow],
    clock: NamedDependency[Clock],
) -> Template | Redirect:
    text = (await read_form(request)).get("dias", "")
    async with engine.connect() as conn:
        day = await calendar.election_date(conn)
        taken = {row.days_before for row in await plans.planned(conn)}
    try:
        days = parse_days_before(text, day, clock.today())
        if days in taken:
            raise FieldError(ALREADY_PLANNED)
    except FieldError as error:
        form = FormState(values={"dias": text[:40]}, errors={"dias": str(error)})
        return await calendar_page(layout, engine, clock, plan_form=form)
    assert day is not None  # parse_days_before refuses a plan without an election date
    operator = admin_operator(viewer)

    async def store(conn: AsyncConnection) -> bool:
        await plans.plan_revalidation(conn, day, days, operator, clock.now())
        return True

    audit = ("revalidation-planned", plans.plan_target(days), operator)
    if await audited(request, engine, event_flow, store, audit):
        flash(request, "success", f"Revalidación planeada: {plans.plan_target(days)}.")
    return see_other(CALENDAR)


@post(f"{CALENDAR}/plan/cancelar", name="cancel_revalidation_plan", include_in_schema=False)
async def cancel_revalidation_plan(
    request: AnyRequest,
    viewer: NamedDependency[Viewer],
    engine: NamedDependency[AsyncEngine],
    event_flow: NamedDependency[EventFlow],
    clock: NamedDependency[Clock],
) -> Redirect:
    run_id = ascii_number((await read_form(request)).get("run_id", ""), 18)

    async def cancel(conn: AsyncConnection) -> bool:
        return run_id is not None and await plans.cancel_plan(conn, run_id, clock.now())

    audit = ("revalidation-plan-cancelled", f"run {run_id}", admin_operator(viewer))
    cancelled = await audited(request, engine, event_flow, cancel, audit)
    if cancelled:
        flash(request, "success", "Revalidación planeada cancelada.")
    elif cancelled is False:
        flash(request, "error", GONE)
    return see_other(CALENDAR)


ELECTION_PLAN_HANDLERS = [plan_revalidation, cancel_revalidation_plan]
