"""Admin (ADMIN only): hand a leader's referrals over to another leader, all of them or those
ticked. The registration API checks and moves them; the old leader stops seeing them as soon as
the projector has the moves (their open Referidos page drops them, live)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncEngine

from services.web.adapters.registration_client import RegistrationClient
from services.web.auth.viewer import Viewer
from services.web.connection import AnyRequest
from services.web.entrypoints.pages.consistency import until_projected
from services.web.entrypoints.pages.forms import FormState, read_form, read_list, state_from_answer
from services.web.entrypoints.pages.rendering import Layout, flash, see_other
from services.web.queries import account_history
from services.web.queries.accounts import account_row
from services.web.settings import WebSettings

ALL, SELECTED = "todos", "seleccionados"
NO_DESTINATION = "Líder de destino: elija a quién pasan los referidos."
NONE_CHOSEN = "Referidos: marque al menos uno, o use «Traspasar todos»."
# The API's fields → the form's.
FORM_FIELDS = {"to_leader_id": "destino", "user_ids": "referidos", "from_leader_id": "destino"}


def _uuid(raw: str) -> UUID | None:
    try:
        return UUID(raw) if len(raw) <= 36 else None
    except ValueError:
        return None


async def _page(
    layout: Layout, engine: AsyncEngine, leader_id: UUID, state: FormState, status: int = 200
) -> Template:
    async with engine.connect() as conn:
        leader = await account_row(conn, leader_id)
        if leader is None:
            raise NotFoundException("Usuario: no existe.")
        referrals = await account_history.referrals_of(conn, leader_id)
        leaders = await account_history.leaders(conn, other_than=leader_id)
    return layout.page(
        "admin/hand_over.html",
        status=status,
        leader=leader,
        leader_id=leader_id,
        referrals=referrals,
        leaders=leaders,
        form=state,
    )


@get("/admin/usuarios/{user_id:uuid}/traspaso", name="hand_over_page", include_in_schema=False)
async def hand_over_page(
    layout: NamedDependency[Layout], engine: NamedDependency[AsyncEngine], user_id: FromPath[UUID]
) -> Template:
    return await _page(layout, engine, user_id, FormState())


@post("/admin/usuarios/{user_id:uuid}/traspaso", name="hand_over", include_in_schema=False)
async def hand_over(
    request: AnyRequest,
    layout: NamedDependency[Layout],
    viewer: NamedDependency[Viewer],
    registration: NamedDependency[RegistrationClient],
    engine: NamedDependency[AsyncEngine],
    settings: NamedDependency[WebSettings],
    user_id: FromPath[UUID],
) -> Template | Redirect:
    form = await read_form(request)
    chosen = [found for raw in await read_list(request, "referidos") if (found := _uuid(raw))]
    values: dict[str, Any] = {"destino": form.get("destino", ""), "referidos": chosen}
    destination = _uuid(values["destino"])
    everyone = form.get("alcance") == ALL
    errors = {} if destination else {"destino": NO_DESTINATION}
    if not everyone and not chosen:
        errors["referidos"] = NONE_CHOSEN
    if errors or destination is None:
        return await _page(layout, engine, user_id, FormState(values, errors), status=422)
    answer = await registration.hand_over_referrals(
        viewer.user_id, user_id, destination, None if everyone else chosen
    )
    if not answer.ok:
        state = state_from_answer(values, answer)
        state.errors = {FORM_FIELDS.get(name, name): text for name, text in state.errors.items()}
        return await _page(layout, engine, user_id, state, status=answer.status)
    moved = [UUID(user_id) for user_id in answer.body.get("moved", [])]
    if moved:  # the last one projected: the pages that follow show every move
        await until_projected(
            engine, settings.read_your_writes_s, moved[-1], lambda r: r.referrer_id == destination
        )
    flash(request, "success", f"Referidos traspasados: {len(moved)}.")
    return see_other(f"/admin/usuarios/{user_id}")


HAND_OVER_HANDLERS = [hand_over_page, hand_over]
