"""Every route the web app serves × anonymous, USER, LEADER and ADMIN (and, for routes about one
user, that user being the caller, the caller's own referral or another leader's referral).

The routes come from the app and the expected answer from `ROUTE_ACCESS`, so a new route (the
Operación pages included) is checked the day it is added; only routes below ADMIN that name a user
need a line in `OBJECT_RULES` here, and the test says so when one is missing."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from schemas.events import Role
from services.web.app import create_app
from services.web.auth.roles import ROUTE_ACCESS, Access, role_allows
from services.web.settings import WebSettings
from tests.security.conftest import RELATIONS, Cast, log_in, play
from tests.security.routes import Route, http_routes

ROUTES = http_routes(create_app(WebSettings(session_secret="matrix")))
CALLERS = ("anonymous", "USER", "LEADER", "ADMIN")


def _sees_census(role: str, relation: str) -> bool:
    """Their own; a LEADER their direct referrals'; an ADMIN everyone's (auth/rules.py)."""
    return (
        relation == "self" or role == "ADMIN" or (role == "LEADER" and relation == "own_referral")
    )


# Routes open to every logged-in user that name a user: whose they may name.
OBJECT_RULES: dict[str, Callable[[str, str], bool]] = {
    "census_card": _sees_census,
    "refresh_census": _sees_census,
    # a row of the caller's own Referidos table, and only for those who see the census there
    "referral_row": lambda role, rel: rel == "own_referral" and role in ("LEADER", "ADMIN"),
    # reset links: an ADMIN for anyone, a LEADER for their direct referrals only
    "reset_link_page": lambda role, rel: role == "ADMIN" or rel == "own_referral",
    "issue_reset_link": lambda role, rel: role == "ADMIN" or rel == "own_referral",
}


# Served, these would erase the suite's shared cast: only their refusals are sent here; the served
# case runs on throw-away accounts (tests/integration/web/test_account_deletion.py).
DESTRUCTIVE = {"admin_delete_account"}


def _cases() -> list:
    cases = []
    for route in ROUTES:
        for caller in CALLERS:
            relations = RELATIONS if route.takes_user_id and caller != "anonymous" else (None,)
            for relation in relations:
                label = f"{caller}-{route.method}-{route.name}" + (
                    f"-{relation}" if relation else ""
                )
                cases.append(pytest.param(route, caller, relation, id=label))
    return cases


def expected(route: Route, caller: str, relation: str | None) -> str:
    access = ROUTE_ACCESS[route.name]
    if caller == "anonymous":
        return {Access.PUBLIC: "served", Access.TOKEN: "no_token"}.get(access, "to_login")
    if access is Access.TOKEN:
        return "no_token"  # a session never opens the bearer-token API
    if not role_allows(Role(caller), access):
        return "forbidden"
    if relation is None or access is Access.ADMIN:
        return "served"
    rule = OBJECT_RULES.get(route.name)
    assert rule is not None, f"{route} names a user: say whose in OBJECT_RULES"
    return "served" if rule(caller, relation) else "forbidden"


def outcome(route: Route, response: httpx.Response) -> str:
    status, location = response.status_code, response.headers.get("location", "")
    assert status < 500, f"{route}: {status}"
    if status == 303 and location.startswith("/ingresar") and "salida" not in location:
        return "to_login"
    if status == 401 and "text/html" in response.headers.get("content-type", ""):
        return "served"  # the login form's answer to wrong credentials
    if status == 401:  # the token API, or the live stream's answer to a visitor without a session
        return "no_token" if route.path.startswith("/api/") else "to_login"
    return "forbidden" if status == 403 else "served"


async def request(site: httpx.AsyncClient, route: Route, path: str) -> httpx.Response:
    if route.changes_state:
        token = (
            site.cookies.get("censo_csrf") or (await site.get("/ingresar")).cookies["censo_csrf"]
        )
        return await site.request(route.method, path, data={"_csrf_token": token})
    # Streamed and closed at the headers: a live-update stream never ends by itself.
    async with site.stream(route.method, path) as response:
        return response


def test_every_route_of_the_web_app_has_an_access_rule() -> None:
    assert [str(r) for r in ROUTES if r.name not in ROUTE_ACCESS] == []


@pytest.mark.parametrize(("route", "caller", "relation"), _cases())
async def test_web_route_answers_each_caller_as_its_access_rule_says(
    site: httpx.AsyncClient, cast: Cast, route: Route, caller: str, relation: str | None
) -> None:
    want = expected(route, caller, relation)
    if route.name in DESTRUCTIVE and want == "served":
        pytest.skip("would erase a shared account: see DESTRUCTIVE")
    if caller == "anonymous":
        play(site, None)
        path = route.url(cast.foreign["id"])
    else:
        browser = cast.browsers[caller]
        cookies = browser.cookies
        if route.name == "logout":  # a session of its own, so the shared one survives
            cookies = await log_in(site, browser.user["cedula"])
        play(site, cookies)
        path = route.url(browser.target(relation or "self", cast.foreign)["id"])
    assert outcome(route, await request(site, route, path)) == want
