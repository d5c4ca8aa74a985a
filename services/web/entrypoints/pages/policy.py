"""The data-treatment policy (Ley 1581 de 2012), public: it is linked from the sign-up form."""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from services.web.entrypoints.pages.rendering import page


@get("/politica-de-datos", name="policy_page", include_in_schema=False)
async def policy_page(request: Request) -> Template:
    return page(request, "policy.html")


POLICY_HANDLERS = [policy_page]
