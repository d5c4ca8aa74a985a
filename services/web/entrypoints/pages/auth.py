"""Logging in and out (credentials are checked by the registration API), and the old portal's
addresses, which still work."""

from __future__ import annotations

from litestar import get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from services.web.adapters.registration_client import RegistrationClient
from services.web.auth.password_change import CHANGE_PAGE, mark_change_required
from services.web.auth.viewer import end_session, start_session, viewer_from_api
from services.web.connection import AnyRequest
from services.web.entrypoints.pages.forms import FormState, read_form, state_from_answer
from services.web.entrypoints.pages.rendering import HOME, Layout, safe_next, see_other

LOGGED_OUT = "Sesión cerrada. ¡Hasta pronto!"


def _login_page(layout: Layout, state: FormState, next_path: str, status: int = 200) -> Template:
    return layout.page("login.html", status=status, form=state, next=next_path)


@get("/ingresar", name="login_page", include_in_schema=False)
async def login_page(
    request: AnyRequest,
    layout: NamedDependency[Layout],
    next: FromQuery[str] = "",
    salida: FromQuery[bool] = False,
) -> Template | Redirect:
    if request.state.get("viewer") is not None:
        return see_other(safe_next(next))
    state = FormState(alert=("success", LOGGED_OUT) if salida else None)
    return _login_page(layout, state, safe_next(next))


@post("/ingresar", name="login", include_in_schema=False)
async def login(
    request: AnyRequest,
    layout: NamedDependency[Layout],
    registration: NamedDependency[RegistrationClient],
) -> Template | Redirect:
    form = await read_form(request)
    next_path = safe_next(form.get("next"))
    cedula, remember = form.get("cedula", ""), bool(form.get("recordarme"))
    address = request.client.host if request.client else None
    answer = await registration.verify_credentials(cedula, form.get("password", ""), address)
    if not answer.ok:
        state = state_from_answer({"cedula": cedula, "recordarme": remember}, answer)
        state.errors = {}  # one message for both fields: which one was wrong is not said
        response = _login_page(layout, state, next_path, status=answer.status)
        if answer.retry_after_s:  # locked out: say until when, as the registration API does
            response.headers["Retry-After"] = str(answer.retry_after_s)
        return response
    start_session(request, viewer_from_api(answer.body), remember=remember)
    if answer.body.get("must_change_password"):  # an ADMIN's temporary password: change it first
        mark_change_required(request)
        return see_other(CHANGE_PAGE)
    return see_other(next_path)


@post("/salir", name="logout", include_in_schema=False)
async def logout(request: AnyRequest) -> Redirect:
    end_session(request)
    return see_other("/ingresar?salida=true")


@get(["/login", "/login/"], name="legacy_login", include_in_schema=False)
async def legacy_login() -> Redirect:
    return Redirect("/ingresar", status_code=301)


@get(["/register", "/register/"], name="legacy_register", include_in_schema=False)
async def legacy_register(ref: FromQuery[str] = "") -> Redirect:
    """Referral links shared from the old portal (…/register/?ref=CODE) keep working."""
    return Redirect(f"/registro?ref={ref}" if ref.isalnum() else "/registro", status_code=301)


@get("/", name="root", include_in_schema=False)
async def root() -> Redirect:
    return see_other(HOME)


AUTH_HANDLERS = [login_page, login, logout, legacy_login, legacy_register, root]
