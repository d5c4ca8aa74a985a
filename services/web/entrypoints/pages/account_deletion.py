"""Deleting an account (Ley 1581): the person from «Eliminar mi cuenta» on their profile, after
confirming, or an ADMIN from the user's page. The registration API erases the data (the person's
key is deleted, so no copy of their events can be read again) and refuses the last active ADMIN
(409, shown as an alert); every session of the account ends here at once."""

from __future__ import annotations

from uuid import UUID

from litestar import get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from services.web.adapters.registration_client import RegistrationClient
from services.web.auth.session_store import PostgresSessionStore
from services.web.auth.viewer import Viewer, end_session
from services.web.connection import AnyRequest
from services.web.entrypoints.pages.forms import FormState, read_form
from services.web.entrypoints.pages.rendering import Layout, flash, see_other

CONFIRMATION = "ELIMINAR"
NOT_CONFIRMED = f"Escriba {CONFIRMATION} para confirmar que quiere eliminar su cuenta."
DELETED_BY_ADMIN = "Cuenta eliminada: sus datos personales se borraron y sus sesiones se cerraron."


@get("/perfil/eliminar", name="delete_own_account_page", include_in_schema=False)
async def delete_own_account_page(layout: NamedDependency[Layout]) -> Template:
    return layout.page("account_delete.html", form=FormState())


@post("/perfil/eliminar", name="delete_own_account", include_in_schema=False)
async def delete_own_account(
    request: AnyRequest,
    layout: NamedDependency[Layout],
    viewer: NamedDependency[Viewer],
    registration: NamedDependency[RegistrationClient],
    sessions: NamedDependency[PostgresSessionStore],
) -> Template | Redirect:
    if (await read_form(request)).get("confirmacion", "").strip().upper() != CONFIRMATION:
        state = FormState(errors={"confirmacion": NOT_CONFIRMED})
        return layout.page("account_delete.html", status=422, form=state)
    answer = await registration.delete_account(viewer.user_id, viewer.user_id)
    if not answer.ok:
        state = FormState(alert=("error", answer.detail or "No se pudo eliminar la cuenta."))
        return layout.page("account_delete.html", status=answer.status, form=state)
    await sessions.end_sessions_of(viewer.user_id)
    end_session(request)  # no session left for a message: the page before said what happens
    return see_other("/ingresar")


@post(
    "/admin/usuarios/{user_id:uuid}/eliminar", name="admin_delete_account", include_in_schema=False
)
async def admin_delete_account(
    request: AnyRequest,
    viewer: NamedDependency[Viewer],
    registration: NamedDependency[RegistrationClient],
    sessions: NamedDependency[PostgresSessionStore],
    user_id: FromPath[UUID],
) -> Redirect:
    answer = await registration.delete_account(viewer.user_id, user_id)
    if not answer.ok:
        flash(request, "error", answer.detail or next(iter(answer.field_errors.values()), ""))
        return see_other(f"/admin/usuarios/{user_id}")
    await sessions.end_sessions_of(user_id)
    flash(request, "success", DELETED_BY_ADMIN)
    return see_other("/admin/usuarios")


ACCOUNT_DELETION_HANDLERS = [delete_own_account_page, delete_own_account, admin_delete_account]
