"""Admin (ADMIN only): edit a person's nombre, teléfono, cédula and meta from their page. The
registration API checks and applies it (a corrected cédula must be free, and is looked up again);
its Spanish errors appear next to the fields of the form."""

from __future__ import annotations

from uuid import UUID

from litestar import post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncEngine

from services.web.adapters.registration_client import RegistrationClient
from services.web.auth.viewer import Viewer
from services.web.clock import Clock
from services.web.connection import AnyRequest
from services.web.entrypoints.pages.admin_user_page import EDITED, user_page
from services.web.entrypoints.pages.consistency import until_projected
from services.web.entrypoints.pages.forms import read_profile_form, state_from_answer
from services.web.entrypoints.pages.rendering import Layout, flash, see_other
from services.web.queries.accounts import account_row
from services.web.settings import WebSettings

SAVED = "Datos guardados."
CEDULA_CORRECTED = (
    "Cédula corregida: la respuesta del censo de la cédula anterior ya no se muestra como de "
    "esta persona, y la nueva se está consultando."
)


@post("/admin/usuarios/{user_id:uuid}/datos", name="admin_edit_user", include_in_schema=False)
async def admin_edit_user(
    request: AnyRequest,
    layout: NamedDependency[Layout],
    viewer: NamedDependency[Viewer],
    registration: NamedDependency[RegistrationClient],
    engine: NamedDependency[AsyncEngine],
    settings: NamedDependency[WebSettings],
    clock: NamedDependency[Clock],
    user_id: FromPath[UUID],
) -> Template | Redirect:
    form = await read_profile_form(request, EDITED)
    if form.problem is not None:
        return await user_page(layout, viewer, engine, clock, user_id, form.problem, status=422)
    async with engine.connect() as conn:
        before = await account_row(conn, user_id)
    answer = await registration.edit_user(viewer.user_id, user_id, form.changes)
    if not answer.ok:
        state = state_from_answer(form.values, answer)
        return await user_page(layout, viewer, engine, clock, user_id, state, answer.status)
    saved = answer.body
    await until_projected(
        engine,
        settings.read_your_writes_s,
        user_id,
        lambda row: all(getattr(row, name) == saved[name] for name in EDITED),
    )
    corrected = before is not None and before.cedula != saved["cedula"]
    flash(request, "success", CEDULA_CORRECTED if corrected else SAVED)
    return see_other(f"/admin/usuarios/{user_id}")


ADMIN_EDIT_HANDLERS = [admin_edit_user]
