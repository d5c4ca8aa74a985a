"""Admin (ADMIN only): disable an account (it can no longer log in, and every session of it ends,
live streams included, once the projector has the UserDisabled) or enable it again. The
registration API decides; its 409 for the last active ADMIN shows as an alert."""

from __future__ import annotations

from uuid import UUID

from litestar import post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncEngine

from services.web.adapters.registration_client import RegistrationClient
from services.web.auth.viewer import Viewer
from services.web.connection import AnyRequest
from services.web.entrypoints.pages.consistency import until_projected
from services.web.entrypoints.pages.forms import read_form
from services.web.entrypoints.pages.rendering import flash, see_other
from services.web.settings import WebSettings

# The form's `accion`, and whether it disables the account.
ACTIONS = {"desactivar": True, "activar": False}
DISABLED = "Cuenta desactivada: ya no puede ingresar y sus sesiones se cerraron."
ENABLED = "Cuenta activada: puede ingresar de nuevo."
UNKNOWN_ACTION = "Acción no válida: use «Desactivar» o «Activar»."


@post("/admin/usuarios/{user_id:uuid}/estado", name="admin_account_state", include_in_schema=False)
async def admin_account_state(
    request: AnyRequest,
    viewer: NamedDependency[Viewer],
    registration: NamedDependency[RegistrationClient],
    engine: NamedDependency[AsyncEngine],
    settings: NamedDependency[WebSettings],
    user_id: FromPath[UUID],
) -> Redirect:
    disabled = ACTIONS.get((await read_form(request)).get("accion", ""))
    if disabled is None:
        flash(request, "error", UNKNOWN_ACTION)
        return see_other(f"/admin/usuarios/{user_id}")
    answer = await registration.set_account_state(viewer.user_id, user_id, disabled)
    if answer.ok:
        await until_projected(
            engine,
            settings.read_your_writes_s,
            user_id,
            lambda row: (row.disabled_at is not None) is disabled,
        )
        flash(request, "success", DISABLED if disabled else ENABLED)
    else:
        flash(request, "error", answer.detail or next(iter(answer.field_errors.values()), ""))
    return see_other(f"/admin/usuarios/{user_id}")


ADMIN_ACCOUNT_HANDLERS = [admin_account_state]
