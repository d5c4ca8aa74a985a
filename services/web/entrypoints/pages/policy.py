"""The data-treatment policy (Ley 1581 de 2012), public: it is linked from the sign-up form."""

from __future__ import annotations

from litestar import get
from litestar.di import NamedDependency
from litestar.response import Template

from services.web.entrypoints.pages.rendering import Layout


@get("/politica-de-datos", name="policy_page", include_in_schema=False)
async def policy_page(layout: NamedDependency[Layout]) -> Template:
    return layout.page("policy.html")


POLICY_HANDLERS = [policy_page]
