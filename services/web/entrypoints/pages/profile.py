"""Perfil (nombre, teléfono, meta de referidos, the census card) and the password change."""

from __future__ import annotations

from litestar import get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncEngine

from services.web.adapters.registration_client import RegistrationClient
from services.web.auth.password_change import change_required, clear_change_required
from services.web.auth.session_backend import rotate_on_save
from services.web.auth.session_store import PostgresSessionStore
from services.web.auth.viewer import Viewer, update_snapshot
from services.web.clock import Clock
from services.web.connection import AnyRequest
from services.web.entrypoints.pages.census import card_context, own_census_row
from services.web.entrypoints.pages.consistency import until_projected
from services.web.entrypoints.pages.forms import (
    FormState,
    read_form,
    read_profile_form,
    state_from_answer,
)
from services.web.entrypoints.pages.rendering import Layout, flash, see_other
from services.web.settings import WebSettings

SAVED = "Perfil actualizado."
PASSWORD_SAVED = "Contraseña actualizada."
MISMATCH = "Confirmar contraseña: no coincide con la contraseña nueva."
FIELDS = ("nombre", "telefono", "referral_goal")


async def _profile_page(
    layout: Layout,
    engine: AsyncEngine,
    clock: Clock,
    viewer: Viewer,
    state: FormState,
    status: int = 200,
) -> Template:
    values = {name: getattr(viewer, name) for name in FIELDS} | state.values
    state = FormState(values=values, errors=state.errors, alert=state.alert)
    census = card_context(clock, viewer, await own_census_row(engine, clock, viewer))
    return layout.page("profile.html", status=status, form=state, **census)


@get("/perfil", name="profile_page", include_in_schema=False)
async def profile_page(
    layout: NamedDependency[Layout],
    viewer: NamedDependency[Viewer],
    engine: NamedDependency[AsyncEngine],
    clock: NamedDependency[Clock],
) -> Template:
    return await _profile_page(layout, engine, clock, viewer, FormState())


@post("/perfil", name="update_profile", include_in_schema=False)
async def update_profile(
    request: AnyRequest,
    layout: NamedDependency[Layout],
    viewer: NamedDependency[Viewer],
    registration: NamedDependency[RegistrationClient],
    engine: NamedDependency[AsyncEngine],
    settings: NamedDependency[WebSettings],
    clock: NamedDependency[Clock],
) -> Template | Redirect:
    form = await read_profile_form(request, FIELDS)
    if form.problem is not None:
        return await _profile_page(layout, engine, clock, viewer, form.problem, status=422)
    answer = await registration.update_profile(viewer.user_id, form.changes)
    if not answer.ok:
        state = state_from_answer(form.values, answer)
        return await _profile_page(layout, engine, clock, viewer, state, status=answer.status)
    update_snapshot(request, answer.body)
    saved = answer.body
    await until_projected(
        engine,
        settings.read_your_writes_s,
        viewer.user_id,
        lambda row: all(getattr(row, k) == saved[k] for k in FIELDS),
    )
    flash(request, "success", SAVED)
    return see_other("/perfil")


@get("/contrasena", name="password_page", include_in_schema=False)
async def password_page(request: AnyRequest, layout: NamedDependency[Layout]) -> Template:
    return layout.page("password.html", form=FormState(), forced=change_required(request))


@post("/contrasena", name="change_password", include_in_schema=False)
async def change_password(
    request: AnyRequest,
    layout: NamedDependency[Layout],
    viewer: NamedDependency[Viewer],
    registration: NamedDependency[RegistrationClient],
    sessions: NamedDependency[PostgresSessionStore],
) -> Template | Redirect:
    form = await read_form(request)
    new = form.get("new_password", "")
    if new != form.get("new_password_confirm", ""):
        state = FormState(errors={"new_password_confirm": MISMATCH})
        return layout.page("password.html", status=422, form=state, forced=change_required(request))
    answer = await registration.change_password(
        viewer.user_id, form.get("current_password", ""), new
    )
    if not answer.ok:
        state = state_from_answer({}, answer)
        forced = change_required(request)
        return layout.page("password.html", status=answer.status, form=state, forced=forced)
    # Every session of the account ends, on every device and web process (their live streams
    # too); this browser goes on in a new one, as after any change of credentials.
    await sessions.end_sessions_of(viewer.user_id)
    clear_change_required(request)
    rotate_on_save(request.session)
    flash(request, "success", PASSWORD_SAVED)
    return see_other("/perfil")


PROFILE_HANDLERS = [profile_page, update_profile, password_page, change_password]
