"""Recovering an account without e-mail: an ADMIN (or a LEADER, for their direct referrals) makes
a one-time reset link and sends it by WhatsApp; an ADMIN may set a temporary password instead.
The registration API decides who may; the link is shown once and kept nowhere here."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from litestar import get, post
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncEngine

from services.web.adapters.registration_client import RegistrationClient
from services.web.auth.guards import FORBIDDEN
from services.web.auth.session_store import PostgresSessionStore
from services.web.auth.viewer import Viewer
from services.web.connection import AnyRequest
from services.web.entrypoints.pages.forms import read_form
from services.web.entrypoints.pages.rendering import Layout, flash, see_other
from services.web.queries.reset import Person, person_for_reset
from services.web.settings import WebSettings
from services.web.views.whatsapp import share_url

TEMPORARY_SET = (
    "Contraseña temporal asignada: sus sesiones se cerraron y deberá cambiarla al ingresar."
)
WHATSAPP_TEXT = (
    "Hola {nombre}: este es su enlace para crear una contraseña nueva en el censo de la campaña. "
    "Sirve una sola vez y vence en 24 horas: {link}"
)


def _back(viewer: Viewer, user_id: UUID) -> str:
    return f"/admin/usuarios/{user_id}" if viewer.is_admin else "/referidos"


def whatsapp_url(nombre: str, link: str) -> str:
    """A wa.me link that opens WhatsApp with the Spanish message ready to send."""
    text = WHATSAPP_TEXT.format(nombre=nombre.split(" ")[0], link=link)
    return share_url(text)


async def _person(engine: AsyncEngine, viewer: Viewer, user_id: UUID) -> Person:
    """The person, only when the viewer may make them a link (else 403, with nothing of them)."""
    async with engine.connect() as conn:
        person = await person_for_reset(conn, user_id, None if viewer.is_admin else viewer.user_id)
    if person is None:
        raise PermissionDeniedException(FORBIDDEN)
    return person


@get("/usuarios/{user_id:uuid}/restablecer", name="reset_link_page", include_in_schema=False)
async def reset_link_page(
    layout: NamedDependency[Layout],
    viewer: NamedDependency[Viewer],
    engine: NamedDependency[AsyncEngine],
    user_id: FromPath[UUID],
) -> Template:
    person = await _person(engine, viewer, user_id)
    return layout.page("reset/confirm.html", person=person, back=_back(viewer, user_id))


@post("/usuarios/{user_id:uuid}/restablecer", name="issue_reset_link", include_in_schema=False)
async def issue_reset_link(
    layout: NamedDependency[Layout],
    viewer: NamedDependency[Viewer],
    registration: NamedDependency[RegistrationClient],
    engine: NamedDependency[AsyncEngine],
    settings: NamedDependency[WebSettings],
    user_id: FromPath[UUID],
) -> Template:
    """The link, on this page only: the answer is never cached and the token is not logged."""
    person = await _person(engine, viewer, user_id)
    answer = await registration.issue_reset_link(viewer.user_id, user_id)
    if not answer.ok:
        raise PermissionDeniedException(FORBIDDEN)
    link = f"{settings.public_base_url.rstrip('/')}/restablecer/{answer.body['token']}"
    page = layout.page(
        "reset/link.html",
        person=person,
        link=link,
        whatsapp=whatsapp_url(person.nombre, link),
        expires_at=datetime.fromisoformat(answer.body["expires_at"]),
        back=_back(viewer, user_id),
    )
    page.headers["Cache-Control"] = "no-store"
    return page


@post(
    "/admin/usuarios/{user_id:uuid}/contrasena-temporal",
    name="admin_temporary_password",
    include_in_schema=False,
)
async def admin_temporary_password(
    request: AnyRequest,
    viewer: NamedDependency[Viewer],
    registration: NamedDependency[RegistrationClient],
    sessions: NamedDependency[PostgresSessionStore],
    user_id: FromPath[UUID],
) -> Redirect:
    """The person's sessions end (as after any change of credentials); their next login asks
    for a new password before anything else."""
    password = (await read_form(request)).get("password_temporal", "")
    answer = await registration.set_temporary_password(viewer.user_id, user_id, password)
    if answer.ok:
        await sessions.end_sessions_of(user_id)
        flash(request, "success", TEMPORARY_SET)
    else:
        flash(request, "error", next(iter(answer.field_errors.values()), "") or answer.detail)
    return see_other(f"/admin/usuarios/{user_id}")


RESET_LINK_HANDLERS = [reset_link_page, issue_reset_link, admin_temporary_password]
