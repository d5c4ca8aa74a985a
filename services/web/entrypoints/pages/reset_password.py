"""/restablecer/{token}: the person opens the link they were sent (no login) and sets a new
password; every session of their account then ends. A dead link (unknown, expired, used or
replaced) gets one page and one status, whichever it is; tries count per address as logins do."""

from __future__ import annotations

from uuid import UUID

from litestar import get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from services.web.adapters.registration_client import Answer, RegistrationClient
from services.web.auth.session_store import PostgresSessionStore
from services.web.connection import AnyRequest
from services.web.entrypoints.pages.forms import FormState, read_form, state_from_answer, wait_text
from services.web.entrypoints.pages.profile import MISMATCH
from services.web.entrypoints.pages.rendering import Layout

INVALID = (
    "Este enlace para restablecer la contraseña ya no es válido. Pida a la campaña un enlace nuevo."
)
DISABLED = "Esta cuenta está desactivada: el enlace no se puede usar. Comuníquese con la campaña."
INVALID_STATUS = 410
TEMPLATE = "reset/password.html"


def _address(request: AnyRequest) -> str | None:
    return request.client.host if request.client else None


def _refusal(layout: Layout, answer: Answer) -> Template | None:
    """The page for an answer that leaves no form to fill: dead link, disabled account, wait."""
    if answer.status == 429:
        message = f"{answer.detail} {wait_text(answer.retry_after_s)}".strip()
        page = layout.page(TEMPLATE, status=429, outcome="throttled", message=message)
        if answer.retry_after_s:
            page.headers["Retry-After"] = str(answer.retry_after_s)
        return page
    if answer.status == 403:
        return layout.page(TEMPLATE, status=403, outcome="refused", message=DISABLED)
    if answer.status in (404, 410) or (answer.status == 422 and "token" in answer.field_errors):
        return layout.page(TEMPLATE, status=INVALID_STATUS, outcome="refused", message=INVALID)
    return None


def _no_store(page: Template) -> Template:
    """The address holds the token: never cached, never sent on as a referrer."""
    page.headers["Cache-Control"] = "no-store"
    page.headers["Referrer-Policy"] = "no-referrer"
    return page


@get("/restablecer/{token:str}", name="reset_password_page", include_in_schema=False)
async def reset_password_page(
    request: AnyRequest,
    layout: NamedDependency[Layout],
    registration: NamedDependency[RegistrationClient],
    token: FromPath[str],
) -> Template:
    answer = await registration.check_reset_link(token, _address(request))
    page = _refusal(layout, answer) or layout.page(
        TEMPLATE, outcome="form", token=token, form=FormState()
    )
    return _no_store(page)


@post("/restablecer/{token:str}", name="reset_password", include_in_schema=False)
async def reset_password(
    request: AnyRequest,
    layout: NamedDependency[Layout],
    registration: NamedDependency[RegistrationClient],
    sessions: NamedDependency[PostgresSessionStore],
    token: FromPath[str],
) -> Template:
    form = await read_form(request)
    new = form.get("new_password", "")
    if new != form.get("new_password_confirm", ""):
        state = FormState(errors={"new_password_confirm": MISMATCH})
        page = layout.page(TEMPLATE, status=422, outcome="form", token=token, form=state)
        return _no_store(page)
    answer = await registration.complete_reset(token, new, _address(request))
    if (refused := _refusal(layout, answer)) is not None:
        return _no_store(refused)
    if not answer.ok:
        state = state_from_answer({}, answer)
        page = layout.page(TEMPLATE, status=answer.status, outcome="form", token=token, form=state)
        return _no_store(page)
    # Every session of the account ends, on every device and web process, live streams too.
    await sessions.end_sessions_of(UUID(answer.body["id"]))
    return _no_store(layout.page(TEMPLATE, outcome="done"))


RESET_PASSWORD_HANDLERS = [reset_password_page, reset_password]
