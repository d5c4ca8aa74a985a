"""`python -m bench.screenshots`: the README's pictures (docs/screenshots/*.png) of Inicio with its
charts, Dónde votan, Novedades and Operación's charts, taken in Chromium from `censo web serve`
on a seeded campaign (the election-day benchmark's, at 3,000 people; the leader's referidos
signed up over the last month)."""

from __future__ import annotations

import asyncio
from contextlib import ExitStack
from pathlib import Path

from playwright.async_api import Browser, Page
from sqlalchemy import text

from bench.election_day_population import populate_election_day
from bench.infra import new_database, scratch_dir, serving_web
from bench.pages_population import SESSION_COOKIE, Campaign
from services.common.db import make_engine
from services.web.projection import charts
from tests.support.chromium import launched_chromium
from tests.support.infra import running_postgres

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
PEOPLE, LEADER_REFERRALS, LEADER_GOAL = 3_000, 420, 600
# file → (whose session, path, what to picture: the whole page or one element)
SHOTS = {
    "inicio.png": ("leader", "/inicio", "main"),
    "donde-votan.png": ("leader", "/puestos?departamento=SUCRE&municipio=MUNICIPIO%203", "main"),
    "novedades.png": ("leader", "/novedades", "main"),
    "operacion.png": ("admin", "/admin/operacion", "#graficos-operacion"),
}


async def _leader_over_a_month(url: str) -> None:
    """The big leader's referidos spread over the last 30 days, counted again; a goal above."""
    engine = make_engine(url, pool_size=1)
    try:
        async with engine.begin() as conn:
            leader = "(SELECT user_id FROM users WHERE referral_code = 'P0000001')"
            await conn.execute(
                text(
                    "UPDATE users SET registered_at = now() - interval '30 days' * "
                    f"power(random(), 0.7) WHERE referrer_id = {leader}"
                )
            )
            await conn.execute(
                text(f"UPDATE users SET referral_goal = {LEADER_GOAL} WHERE user_id = {leader}")
            )
            # Operación's minutes up to the moment of the picture (the server takes a while).
            for table in ("lookup_minutes", "flow_samples"):
                await conn.execute(text(f"UPDATE {table} SET minute = minute + interval '3 min'"))
            cedulas = set(await conn.scalars(text("SELECT cedula FROM users")))
            await charts.recount(conn, cedulas)
    finally:
        await engine.dispose()


async def _shoot(browser: Browser, base: str, campaign: Campaign) -> None:
    cookies = {"leader": campaign.leader_cookie, "admin": campaign.admin_cookie}
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (who, path, what) in SHOTS.items():
        context = await browser.new_context(viewport={"width": 1100, "height": 900})
        value = cookies[who].removeprefix(f"{SESSION_COOKIE}=")
        await context.add_cookies([{"name": SESSION_COOKIE, "value": value, "url": base}])
        page: Page = await context.new_page()
        await page.goto(base + path)
        await page.locator(what).screenshot(path=str(OUT / name))
        await context.close()
        print(f"{OUT / name}")


def main() -> None:
    with ExitStack() as stack:
        workdir = stack.enter_context(scratch_dir("censo-screenshots-"))
        pg = stack.enter_context(running_postgres(workdir))
        url = new_database(pg, "web")
        campaign = asyncio.run(populate_election_day(url, PEOPLE, LEADER_REFERRALS))
        asyncio.run(_leader_over_a_month(url))
        web = stack.enter_context(serving_web(workdir, url))
        asyncio.run(_take(f"http://127.0.0.1:{web.port}", campaign))


async def _take(base: str, campaign: Campaign) -> None:
    async with launched_chromium() as browser:
        await _shoot(browser, base, campaign)


if __name__ == "__main__":
    main()
