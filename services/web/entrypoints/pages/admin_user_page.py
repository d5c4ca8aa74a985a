"""The admin's page of one user: account, census in full (raw response of the last failed lookup,
history of answers), the edit form, and «Historial» of every change of the account."""

from __future__ import annotations

from uuid import UUID

from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.events import Role
from services.web.auth.viewer import Viewer
from services.web.clock import Clock
from services.web.entrypoints.pages.census import visible_census_row
from services.web.entrypoints.pages.forms import FormState
from services.web.entrypoints.pages.rendering import Layout
from services.web.queries import account_history, accounts
from services.web.queries.census import history
from services.web.views.account_history import entries
from services.web.views.census import census_view
from services.web.views.labels import role_label

ROLE_CHOICES = [(role.value, role_label(role)) for role in Role]
EDITED = ("nombre", "telefono", "cedula", "referral_goal")


async def user_page(
    layout: Layout,
    viewer: Viewer,
    engine: AsyncEngine,
    clock: Clock,
    user_id: UUID,
    edit: FormState | None = None,
    status: int = 200,
) -> Template:
    """The page, with the edit form as `edit` left it (the values typed and their errors)."""
    row = await visible_census_row(engine, viewer, user_id)
    async with engine.connect() as conn:
        answers = await history(conn, row["cedula"])
        referrer = (
            await accounts.account_row(conn, row["referrer_id"]) if row["referrer_id"] else None
        )
        original = await account_history.name_of(conn, row.get("original_referrer_id"))
        changes = entries(await account_history.history_of(conn, user_id))
        referrals = await accounts.referral_count(conn, user_id)
    edit = edit or FormState()
    values = {name: row[name] for name in EDITED} | edit.values
    return layout.page(
        "admin/user.html",
        status=status,
        row=row,
        census=census_view(row, clock),
        user_id=user_id,
        show_raw=True,
        history=answers,
        referrer=referrer,
        original_referrer=original,
        roles=ROLE_CHOICES,
        form=FormState(values=values, errors=edit.errors, alert=edit.alert),
        account_history=changes,
        referral_count=referrals,
    )
