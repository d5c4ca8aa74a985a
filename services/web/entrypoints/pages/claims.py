"""«¿Es su cédula?»: someone whose cédula another person registered files a claim (public, CSRF,
limited per connection and per cédula by the registration API). The answer names nobody: it says
the campaign will review the claim and call the number given."""

from __future__ import annotations

from litestar import get, post
from litestar.di import NamedDependency
from litestar.response import Template

from services.web.adapters.registration_client import RegistrationClient
from services.web.connection import AnyRequest
from services.web.entrypoints.pages.forms import FormState, read_form, state_from_answer
from services.web.entrypoints.pages.rendering import Layout

PAGE = "/reclamo"


def _page(layout: Layout, state: FormState, status: int = 200) -> Template:
    return layout.page("claims/form.html", status=status, form=state)


@get(PAGE, name="claim_page", include_in_schema=False)
async def claim_page(layout: NamedDependency[Layout]) -> Template:
    return _page(layout, FormState())


@post(PAGE, name="file_claim", include_in_schema=False)
async def file_claim(
    request: AnyRequest,
    layout: NamedDependency[Layout],
    registration: NamedDependency[RegistrationClient],
) -> Template:
    form = await read_form(request)
    values = {
        "cedula": form.get("cedula", ""),
        "nombre": form.get("nombre", ""),
        "telefono": form.get("telefono", ""),
        "mensaje": form.get("mensaje", ""),
    }
    address = request.client.host if request.client else None
    answer = await registration.file_claim(values, address)
    if not answer.ok:
        return _page(layout, state_from_answer(values, answer), status=answer.status)
    page = layout.page("claims/received.html", telefono=values["telefono"])
    page.headers["Cache-Control"] = "no-store"
    return page


CLAIM_HANDLERS = [claim_page, file_claim]
