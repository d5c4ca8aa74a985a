"""Inicio: referrals toward the goal (also in charts), the shareable link (copy, WhatsApp, QR
code), the own census, and the days left to the election once an admin has set its date."""

from __future__ import annotations

from litestar import get
from litestar.di import NamedDependency
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncEngine

from services.web.adapters.election_calendar import election_date
from services.web.auth.viewer import Viewer
from services.web.clock import Clock
from services.web.entrypoints.pages.census import card_context, own_census_row
from services.web.entrypoints.pages.charts import own_charts
from services.web.entrypoints.pages.rendering import Layout, fragment
from services.web.queries.accounts import referral_count, stuck_count
from services.web.queries.charts import people_per_status
from services.web.settings import WebSettings
from services.web.views.election import countdown
from services.web.views.referral_share import whatsapp_url
from services.web.views.summary import ReferralSummary, referral_summary


def referral_link(settings: WebSettings, viewer: Viewer) -> str:
    base = settings.public_base_url.rstrip("/")
    return f"{base}/registro?ref={viewer.referral_code}"


async def _summary(engine: AsyncEngine, clock: Clock, viewer: Viewer) -> ReferralSummary:
    async with engine.connect() as conn:
        count = await referral_count(conn, viewer.user_id)
        if not viewer.is_leader:  # the census of referrals is for leaders only
            return referral_summary(count, viewer.referral_goal, {})
        by_status = await people_per_status(conn, viewer.user_id)  # kept by the projector
        stuck = await stuck_count(conn, clock.stuck_before(), referrer_id=viewer.user_id)
    return referral_summary(count, viewer.referral_goal, by_status, stuck)


@get("/inicio", name="home_page", include_in_schema=False)
async def home_page(
    layout: NamedDependency[Layout],
    viewer: NamedDependency[Viewer],
    engine: NamedDependency[AsyncEngine],
    settings: NamedDependency[WebSettings],
    clock: NamedDependency[Clock],
) -> Template:
    async with engine.connect() as conn:
        election_day = await election_date(conn)
    return layout.page(
        "home.html",
        days_left=countdown(election_day, clock.today()),
        summary=await _summary(engine, clock, viewer),
        link=(link := referral_link(settings, viewer)),
        whatsapp=whatsapp_url(link),
        **card_context(clock, viewer, await own_census_row(engine, clock, viewer)),
        **await own_charts(engine, clock, viewer),
    )


@get("/inicio/resumen", name="home_summary", include_in_schema=False)
async def home_summary(
    viewer: NamedDependency[Viewer],
    engine: NamedDependency[AsyncEngine],
    clock: NamedDependency[Clock],
) -> Template:
    """Re-fetched live when a new referral registers."""
    summary = await _summary(engine, clock, viewer)
    return fragment("_home_summary.html", summary=summary, viewer=viewer)


HOME_HANDLERS = [home_page, home_summary]
