"""Sign-up: every field of the registration API, the data-policy checkbox, `?ref=CODE` prefilled;
a successful sign-up logs the new user in at once."""

from __future__ import annotations

from typing import Any

from litestar import get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from services.web.adapters.registration_client import RegistrationClient
from services.web.auth.viewer import start_session, viewer_from_api
from services.web.connection import AnyRequest
from services.web.entrypoints.pages.forms import FormState, read_form, state_from_answer
from services.web.entrypoints.pages.rendering import HOME, Layout, flash, see_other

WELCOME = "¡Bienvenido! Su cuenta fue creada. Estamos verificando su cédula en el censo electoral."
MISMATCH = "Confirmar contraseña: no coincide con la contraseña."


def _page(layout: Layout, state: FormState, status: int = 200) -> Template:
    # Someone else registered this cédula: the page offers the claim form.
    taken = status == 409 and "cedula" in state.errors
    return layout.page("register.html", status=status, form=state, cedula_taken=taken)


@get("/registro", name="register_page", include_in_schema=False)
async def register_page(
    request: AnyRequest, layout: NamedDependency[Layout], ref: FromQuery[str] = ""
) -> Template | Redirect:
    if request.state.get("viewer") is not None:
        return see_other(HOME)
    code = ref.strip().upper()[:8] if ref.strip().isalnum() else ""
    return _page(layout, FormState(values={"referral_code": code}))


@post("/registro", name="register", include_in_schema=False)
async def register(
    request: AnyRequest,
    layout: NamedDependency[Layout],
    registration: NamedDependency[RegistrationClient],
) -> Template | Redirect:
    form = await read_form(request)
    values: dict[str, Any] = {
        name: form.get(name, "") for name in ("nombre", "cedula", "telefono", "referral_code")
    }
    values["data_policy_accepted"] = form.get("data_policy_accepted") == "on"
    if form.get("password", "") != form.get("password_confirm", ""):
        state = FormState(values=values, errors={"password_confirm": MISMATCH})
        return _page(layout, state, status=422)
    body = {
        **values,
        "password": form.get("password", ""),
        "referral_code": values["referral_code"] or None,
    }
    answer = await registration.register(body, request.client.host if request.client else None)
    if not answer.ok:
        return _page(layout, state_from_answer(values, answer), status=answer.status)
    start_session(request, viewer_from_api(answer.body), remember=False)
    flash(request, "success", WELCOME)
    return see_other(HOME)


REGISTER_HANDLERS = [register_page, register]
