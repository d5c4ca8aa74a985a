"""«Reclamos» (ADMIN only): claims for a taken cédula, newest first, by status, with the count of
open ones in the menu. «Transferir» gives the account to the claimant (their nombre and teléfono,
every session of the account ended, a one-time reset link shown once to send by WhatsApp);
«Rechazar» keeps it as it is, with the reason. The registration API decides and audits both."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from uuid import UUID

from litestar import get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncEngine

from services.web.adapters.registration_client import Answer, RegistrationClient
from services.web.auth.session_store import PostgresSessionStore
from services.web.auth.viewer import Viewer
from services.web.connection import AnyRequest
from services.web.entrypoints.pages.forms import read_form
from services.web.entrypoints.pages.rendering import Layout, flash, fragment, see_other
from services.web.queries import claims as q
from services.web.settings import WebSettings
from services.web.views.claims import FILTERS, claim_view, transfer_message
from services.web.views.whatsapp import chat_url

PAGE = "/admin/reclamos"
REJECTED = "Reclamo rechazado: la cuenta sigue como estaba."
UNKNOWN = "Reclamo: no existe."


@get(PAGE, name="admin_claims", include_in_schema=False)
async def admin_claims(
    layout: NamedDependency[Layout],
    engine: NamedDependency[AsyncEngine],
    estado: FromQuery[str] = q.OPEN,
) -> Template:
    status = estado if estado in q.STATUSES else None  # «todos», or anything else: every claim
    async with engine.connect() as conn:
        rows = await q.latest(conn, status)
        counts = await q.counts(conn)
    return layout.page(
        "admin/claims.html",
        items=[claim_view(row) for row in rows],
        counts=counts,
        filters=FILTERS,
        current=status or "todos",
        total=sum(counts.values()),
    )


@get(f"{PAGE}/aviso", name="admin_claims_badge", include_in_schema=False)
async def admin_claims_badge(engine: NamedDependency[AsyncEngine]) -> Template:
    async with engine.connect() as conn:
        count = await q.open_count(conn)
    return fragment("admin/_claims_badge.html", count=count)


@post(f"{PAGE}/{{claim_id:uuid}}/transferir", name="admin_transfer_claim", include_in_schema=False)
async def admin_transfer_claim(
    request: AnyRequest,
    layout: NamedDependency[Layout],
    viewer: NamedDependency[Viewer],
    registration: NamedDependency[RegistrationClient],
    sessions: NamedDependency[PostgresSessionStore],
    engine: NamedDependency[AsyncEngine],
    settings: NamedDependency[WebSettings],
    claim_id: FromPath[UUID],
) -> Template | Redirect:
    """The link, on this page only: never cached, never logged, kept nowhere."""
    async with engine.connect() as conn:
        row = await q.claim(conn, claim_id)
    if row is None:  # not shown to this admin yet: nobody would know whom to send the link
        return _refused(request, Answer(404))
    answer = await registration.transfer_claim(viewer.user_id, claim_id)
    if not answer.ok:
        return _refused(request, answer)
    user_id = UUID(answer.body["user_id"])
    await sessions.end_sessions_of(user_id)  # at once; the projector does so too
    await _until_decided(engine, settings.read_your_writes_s, claim_id)
    link = f"{settings.public_base_url.rstrip('/')}/restablecer/{answer.body['token']}"
    page = layout.page(
        "admin/claim_transferred.html",
        claim=row,
        user_id=user_id,
        link=link,
        whatsapp=chat_url(row.telefono, transfer_message(row.nombre, link)),
        expires_at=datetime.fromisoformat(answer.body["expires_at"]),
    )
    page.headers["Cache-Control"] = "no-store"
    return page


@post(f"{PAGE}/{{claim_id:uuid}}/rechazar", name="admin_reject_claim", include_in_schema=False)
async def admin_reject_claim(
    request: AnyRequest,
    viewer: NamedDependency[Viewer],
    registration: NamedDependency[RegistrationClient],
    engine: NamedDependency[AsyncEngine],
    settings: NamedDependency[WebSettings],
    claim_id: FromPath[UUID],
) -> Redirect:
    reason = (await read_form(request)).get("motivo", "")
    answer = await registration.reject_claim(viewer.user_id, claim_id, reason)
    if not answer.ok:
        return _refused(request, answer)
    await _until_decided(engine, settings.read_your_writes_s, claim_id)
    flash(request, "success", REJECTED)
    return see_other(PAGE)


def _refused(request: AnyRequest, answer: Answer) -> Redirect:
    message = next(iter(answer.field_errors.values()), "") or answer.detail or UNKNOWN
    flash(request, "error", UNKNOWN if answer.status == 404 else message)
    return see_other(PAGE)


async def _until_decided(engine: AsyncEngine, within_s: float, claim_id: UUID) -> None:
    """Read-your-writes: the list that follows shows the decision once the projector has it
    (or after `within_s`: then live updates bring it)."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        async with engine.connect() as conn:
            row = await q.claim(conn, claim_id)
        if row is None or row.status != q.OPEN:
            return
        await asyncio.sleep(0.1)


ADMIN_CLAIM_HANDLERS = [admin_claims, admin_claims_badge, admin_transfer_claim, admin_reject_claim]
