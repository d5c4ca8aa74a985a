"""Inicio: referrals toward the goal, the shareable link with a copy button, the own census."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from litestar import Request, get
from litestar.response import Template

from services.web.auth.viewer import Viewer
from services.web.entrypoints.pages.census import card_context, own_census_row
from services.web.entrypoints.pages.rendering import fragment, page
from services.web.queries.accounts import referral_count, referral_status_counts, stuck_count
from services.web.views.summary import ReferralSummary, referral_summary


def referral_link(request: Request, viewer: Viewer) -> str:
    base = request.app.state.settings.public_base_url.rstrip("/")
    return f"{base}/registro?ref={viewer.referral_code}"


async def _summary(request: Request, viewer: Viewer) -> ReferralSummary:
    stuck_s = request.app.state.settings.stuck_after_s
    async with request.app.state.engine.connect() as conn:
        count = await referral_count(conn, viewer.user_id)
        if not viewer.is_leader:  # the census of referrals is for leaders only
            return referral_summary(count, viewer.referral_goal, {})
        by_status = await referral_status_counts(conn, viewer.user_id)
        before = datetime.now(UTC) - timedelta(seconds=stuck_s)
        stuck = await stuck_count(conn, before, referrer_id=viewer.user_id)
    return referral_summary(count, viewer.referral_goal, by_status, stuck)


@get("/inicio", name="home_page", include_in_schema=False)
async def home_page(request: Request, viewer: Viewer) -> Template:
    return page(
        request,
        "home.html",
        summary=await _summary(request, viewer),
        link=referral_link(request, viewer),
        **card_context(request, viewer, await own_census_row(request, viewer)),
    )


@get("/inicio/resumen", name="home_summary", include_in_schema=False)
async def home_summary(request: Request, viewer: Viewer) -> Template:
    """Re-fetched live when a new referral registers."""
    return fragment("_home_summary.html", summary=await _summary(request, viewer), viewer=viewer)


HOME_HANDLERS = [home_page, home_summary]
