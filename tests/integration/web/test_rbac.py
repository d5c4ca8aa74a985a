"""Every route of the table, for anonymous visitors and for each role: the guard's answer."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient

from schemas.events import Role
from services.web.app import create_app, route_handlers
from services.web.auth.roles import ROUTE_ACCESS, Access, role_allows
from services.web.settings import WebSettings
from tests.integration.web.support import (
    csrf_from,
    csrf_token,
    login,
    register,
    register_admin,
    set_role,
)

PLACEHOLDER = re.compile(r"\{\w+:uuid\}")  # a user's id, or another object's (a claim's)
# Allowed by the route's level, refused by the rule about the object: a USER may open Referidos
# but does not see their referrals' census, so the census row of a referral is refused.
OBJECT_REFUSALS = {("USER", "referral_row")}


def _routes() -> list[tuple[str, str, str]]:
    """(name, method, path) of every route that needs a session."""
    app = create_app(WebSettings(session_secret="rbac"))
    found = []
    for handler in route_handlers(app):
        if ROUTE_ACCESS[handler.name] < Access.USER:
            continue
        for method in sorted(handler.http_methods - {"HEAD", "OPTIONS"}):
            for path in handler.paths:
                found.append((handler.name, method, path))
    return sorted(found)


ROUTES = _routes()


async def _call(web: AsyncTestClient, method: str, path: str, token: str) -> httpx.Response:
    if method == "GET":
        return await web.get(path)
    return await web.post(path, data={"_csrf_token": token})


@pytest.mark.parametrize(("name", "method", "path"), ROUTES, ids=[r[0] for r in ROUTES])
async def test_anonymous_visitors_are_sent_to_the_login_page(
    web: AsyncTestClient, name: str, method: str, path: str
) -> None:
    token = await csrf_token(web)
    target = PLACEHOLDER.sub("00000000-0000-4000-8000-000000000000", path)
    response = await _call(web, method, target, token)
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith("/ingresar")


async def test_htmx_and_live_requests_get_401_instead_of_a_redirect(web: AsyncTestClient) -> None:
    htmx = await web.get("/inicio/resumen", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith("/ingresar")
    stream = await web.get("/eventos", headers={"Accept": "text/event-stream"})
    assert stream.status_code == 401


@pytest.fixture
async def browsers(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> dict[str, Any]:
    """A logged-in browser (cookie jar) and own user id per role; each has one referral."""
    admin = await register_admin(registration)
    jars: dict[str, Any] = {}
    for role in ("USER", "LEADER", "ADMIN"):
        user = admin if role == "ADMIN" else await register(registration)
        if role == "LEADER":
            await set_role(registration, admin["id"], user["id"], "LEADER")
        referral = await register(registration, referral_code=user["referral_code"])
        await login(web, user["cedula"])
        jars[role] = {"cookies": httpx.Cookies(web.cookies), "self": user, "referral": referral}
    await sync()
    return jars


def _path_for(name: str, path: str, jar: dict[str, Any]) -> str:
    about_a_referral = ("referral_row", "reset_link_page", "issue_reset_link")
    target = jar["referral"] if name in about_a_referral else jar["self"]
    return PLACEHOLDER.sub(target["id"], path)


@pytest.mark.parametrize("role", ["USER", "LEADER", "ADMIN"])
async def test_each_role_reaches_exactly_the_routes_of_its_level(
    web: AsyncTestClient, browsers: dict[str, Any], role: str
) -> None:
    jar = browsers[role]
    web.cookies = jar["cookies"]
    token = csrf_from((await web.get("/inicio")).text)
    wrong = []
    for name, method, path in ROUTES:
        if name in ("live_events", "logout", "delete_own_account", "admin_delete_account"):
            # A stream that never ends; logging out or deleting the caller's own account would end
            # the test's session (deletion's access: test_account_deletion and tests/security).
            continue
        response = await _call(web, method, _path_for(name, path, jar), token)
        allowed = (
            role_allows(Role(role), ROUTE_ACCESS[name]) and (role, name) not in OBJECT_REFUSALS
        )
        to_login = "/ingresar" in response.headers.get("location", "")
        if allowed == (response.status_code == 403) or to_login:
            wrong.append((name, method, response.status_code))
    assert wrong == []
