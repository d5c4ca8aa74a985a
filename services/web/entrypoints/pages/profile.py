"""Perfil (nombre, teléfono, meta de referidos, the census card) and the password change."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template

from services.web.auth.session_backend import rotate_on_save
from services.web.auth.viewer import Viewer, update_snapshot
from services.web.entrypoints.pages.census import card_context, own_census_row
from services.web.entrypoints.pages.consistency import until_projected
from services.web.entrypoints.pages.forms import FormState, read_form, state_from_answer
from services.web.entrypoints.pages.rendering import flash, page, see_other

GOAL_NOT_A_NUMBER = "Meta de referidos: debe ser un número entero."
SAVED = "Perfil actualizado."
PASSWORD_SAVED = "Contraseña actualizada."
MISMATCH = "Confirmar contraseña: no coincide con la contraseña nueva."
FIELDS = ("nombre", "telefono", "referral_goal")


async def _profile_page(
    request: Request, viewer: Viewer, state: FormState, status: int = 200
) -> Template:
    values = {name: getattr(viewer, name) for name in FIELDS} | state.values
    state = FormState(values=values, errors=state.errors, alert=state.alert)
    census = card_context(request, viewer, await own_census_row(request, viewer))
    return page(request, "profile.html", status=status, form=state, **census)


@get("/perfil", name="profile_page", include_in_schema=False)
async def profile_page(request: Request, viewer: Viewer) -> Template:
    return await _profile_page(request, viewer, FormState())


@post("/perfil", name="update_profile", include_in_schema=False)
async def update_profile(request: Request, viewer: Viewer) -> Template | Redirect:
    form = await read_form(request)
    values: dict[str, Any] = {name: form.get(name, "") for name in FIELDS}
    if not values["referral_goal"].isdigit():
        state = FormState(values=values, errors={"referral_goal": GOAL_NOT_A_NUMBER})
        return await _profile_page(request, viewer, state, status=422)
    changes = values | {"referral_goal": int(values["referral_goal"])}
    answer = await request.app.state.registration.update_profile(viewer.user_id, changes)
    if not answer.ok:
        state = state_from_answer(values, answer)
        return await _profile_page(request, viewer, state, status=answer.status)
    update_snapshot(request, answer.body)
    saved = answer.body
    await until_projected(
        request, viewer.user_id, lambda row: all(getattr(row, k) == saved[k] for k in FIELDS)
    )
    flash(request, "success", SAVED)
    return see_other("/perfil")


@get("/contrasena", name="password_page", include_in_schema=False)
async def password_page(request: Request) -> Template:
    return page(request, "password.html", form=FormState())


@post("/contrasena", name="change_password", include_in_schema=False)
async def change_password(request: Request, viewer: Viewer) -> Template | Redirect:
    form = await read_form(request)
    new = form.get("new_password", "")
    if new != form.get("new_password_confirm", ""):
        state = FormState(errors={"new_password_confirm": MISMATCH})
        return page(request, "password.html", status=422, form=state)
    registration = request.app.state.registration
    answer = await registration.change_password(
        viewer.user_id, form.get("current_password", ""), new
    )
    if not answer.ok:
        state = state_from_answer({}, answer)
        return page(request, "password.html", status=answer.status, form=state)
    rotate_on_save(request.session)  # a new session id, as after any change of credentials
    flash(request, "success", PASSWORD_SAVED)
    return see_other("/perfil")


PROFILE_HANDLERS = [profile_page, update_profile, password_page, change_password]
