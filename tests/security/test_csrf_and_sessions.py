"""Forged requests and stolen or planted sessions: every state-changing route of the web app
refuses a missing, wrong or foreign CSRF token; the session id changes at login and dies at
logout and at a password change; cookies carry HttpOnly, SameSite, Path and (when configured)
Secure."""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator
from http.cookies import SimpleCookie

import httpx
import pytest
from litestar.exceptions import ImproperlyConfiguredException
from litestar.testing import AsyncTestClient

from services.web.app import CSRF_COOKIE, NO_SESSION_PATHS, SESSION_COOKIE, create_app
from services.web.entrypoints.errors import CSRF_FAILED
from services.web.settings import WebSettings
from tests.integration.web.conftest import web_settings
from tests.integration.web.support import register
from tests.security.conftest import Cast, log_in, play
from tests.security.routes import http_routes
from tests.support.accounts import PASSWORD

STATE_CHANGING = [
    r for r in http_routes(create_app(WebSettings(session_secret="x"))) if r.changes_state
]
FORGERIES = ("missing", "wrong", "another_browsers")


async def forged_token(site: httpx.AsyncClient, forgery: str) -> dict[str, str]:
    if forgery == "missing":
        return {}
    if forgery == "wrong":
        return {"_csrf_token": secrets.token_urlsafe(32)}
    async with httpx.AsyncClient(base_url=site.base_url) as stranger:
        await stranger.get("/ingresar")
        return {"_csrf_token": stranger.cookies[CSRF_COOKIE]}


async def still_logged_in(site: httpx.AsyncClient) -> bool:
    return (await site.get("/inicio")).status_code == 200


@pytest.mark.parametrize("forgery", FORGERIES)
@pytest.mark.parametrize("route", STATE_CHANGING, ids=str)
async def test_state_changing_route_refuses_a_forged_csrf_token(
    site: httpx.AsyncClient, cast: Cast, route, forgery: str
) -> None:
    admin = cast.browsers["ADMIN"]  # an ADMIN passes every route's guard
    # Were the token not checked, logging out would end the session the other tests share.
    play(
        site, await log_in(site, admin.user["cedula"]) if route.name == "logout" else admin.cookies
    )
    data = {"role": "USER", **await forged_token(site, forgery)}
    response = await site.request(route.method, route.url(admin.referral["id"]), data=data)
    assert response.status_code == 403
    assert CSRF_FAILED in response.text
    assert await still_logged_in(site)  # logging out, too, needs the token


@pytest.mark.parametrize("route", STATE_CHANGING, ids=str)
async def test_a_wrong_csrf_header_is_refused_like_a_wrong_field(
    site: httpx.AsyncClient, cast: Cast, route
) -> None:
    play(site, cast.browsers["LEADER"].cookies)
    headers = {"X-CSRFToken": secrets.token_urlsafe(32), "HX-Request": "true"}
    response = await site.request(route.method, route.url(cast.foreign["id"]), headers=headers)
    assert response.status_code == 403


async def with_cookies(
    site: httpx.AsyncClient, method: str, path: str, cookies: dict[str, str], **kwargs
) -> httpx.Response:
    """A request from a browser holding exactly these cookies (say, one an attacker planted)."""
    play(site, None)
    header = "; ".join(f"{name}={value}" for name, value in cookies.items())
    return await site.request(method, path, headers={"Cookie": header}, **kwargs)


def new_session_id(response: httpx.Response) -> str | None:
    return response.cookies.get(SESSION_COOKIE)


async def fresh_csrf(site: httpx.AsyncClient) -> dict[str, str]:
    play(site, None)
    await site.get("/ingresar")
    return {CSRF_COOKIE: site.cookies[CSRF_COOKIE]}


async def login_holding(site: httpx.AsyncClient, session_id: str, user: dict) -> httpx.Response:
    """The login form sent by a browser whose session cookie was set by someone else."""
    csrf = await fresh_csrf(site)
    form = {"cedula": user["cedula"], "password": PASSWORD, "_csrf_token": csrf[CSRF_COOKIE]}
    cookies = {SESSION_COOKIE: session_id, **csrf}
    return await with_cookies(site, "POST", "/ingresar", cookies, data=form)


async def test_a_session_id_planted_before_login_is_replaced_and_useless(
    site: httpx.AsyncClient, cast: Cast
) -> None:
    planted = (await log_in(site, cast.browsers["USER"].user["cedula"]))[SESSION_COOKIE]
    response = await login_holding(site, planted, cast.browsers["LEADER"].user)
    assert response.status_code == 303
    assert new_session_id(response) not in (None, planted)
    replay = await with_cookies(site, "GET", "/inicio", {SESSION_COOKIE: planted})
    assert replay.headers["location"].startswith("/ingresar")


async def test_an_unknown_session_id_is_never_adopted(site: httpx.AsyncClient, cast: Cast) -> None:
    chosen = "fixated-" + secrets.token_hex(8)
    response = await login_holding(site, chosen, cast.browsers["USER"].user)
    assert response.status_code == 303
    assert new_session_id(response) not in (None, chosen)
    replay = await with_cookies(site, "GET", "/inicio", {SESSION_COOKIE: chosen})
    assert replay.headers["location"].startswith("/ingresar")


async def test_the_session_id_is_useless_after_logout(site: httpx.AsyncClient, cast: Cast) -> None:
    cookies = await log_in(site, cast.browsers["USER"].user["cedula"])
    play(site, cookies)
    response = await site.post("/salir", data={"_csrf_token": cookies[CSRF_COOKIE]})
    assert response.status_code == 303
    replay = await with_cookies(site, "GET", "/inicio", {SESSION_COOKIE: cookies[SESSION_COOKIE]})
    assert replay.headers["location"].startswith("/ingresar")


async def test_a_password_change_gives_a_new_session_id_and_kills_the_old(
    site: httpx.AsyncClient, registration: AsyncTestClient
) -> None:
    user = await register(registration)
    cookies = await log_in(site, user["cedula"])
    play(site, cookies)
    form = {
        "current_password": PASSWORD,
        "new_password": PASSWORD,
        "new_password_confirm": PASSWORD,
        "_csrf_token": cookies[CSRF_COOKIE],
    }
    response = await site.post("/contrasena", data=form)
    assert response.status_code == 303
    assert new_session_id(response) not in (None, cookies[SESSION_COOKIE])
    assert await still_logged_in(site)
    replay = await with_cookies(site, "GET", "/inicio", {SESSION_COOKIE: cookies[SESSION_COOKIE]})
    assert replay.headers["location"].startswith("/ingresar")


def set_cookies(response: httpx.Response) -> dict[str, SimpleCookie]:
    found = {}
    for header in response.headers.get_list("set-cookie"):
        cookie = SimpleCookie()
        cookie.load(header)
        found.update({name: cookie for name in cookie})
    return found


def flags(cookie: SimpleCookie, name: str) -> dict[str, object]:
    morsel = cookie[name]
    return {
        "httponly": bool(morsel["httponly"]),
        "samesite": morsel["samesite"].lower(),
        "secure": bool(morsel["secure"]),
        "path": morsel["path"],
    }


@pytest.fixture(params=[False, True], ids=["http", "secure_cookies"])
async def browser(request, web_db: str, registration: AsyncTestClient) -> AsyncIterator:  # type: ignore[no-untyped-def]
    """A browser on a web app with WEB_SECURE_COOKIES off or on (then over HTTPS)."""
    secure = request.param
    app = create_app(web_settings(web_db, secure_cookies=secure), registration_http=registration)
    base_url = "https://web.test" if secure else "http://web.test"
    async with AsyncTestClient(app=app, base_url=base_url) as client:
        client.follow_redirects = False
        yield client, secure


@pytest.mark.parametrize("remember", [False, True], ids=["browser_session", "recordarme"])
async def test_session_and_csrf_cookies_carry_their_flags(
    browser, registration: AsyncTestClient, remember: bool
) -> None:
    client, secure = browser
    user = await register(registration)
    page = await client.get("/ingresar")
    csrf = set_cookies(page)[CSRF_COOKIE]
    data = {
        "cedula": user["cedula"],
        "password": PASSWORD,
        "_csrf_token": client.cookies[CSRF_COOKIE],
    }
    if remember:
        data["recordarme"] = "on"
    session = set_cookies(await client.post("/ingresar", data=data))[SESSION_COOKIE]
    want = {"httponly": True, "samesite": "lax", "secure": secure, "path": "/"}
    assert flags(session, SESSION_COOKIE) == want
    assert flags(csrf, CSRF_COOKIE) == want
    max_age = session[SESSION_COOKIE]["max-age"]
    assert max_age == (str(14 * 86_400) if remember else "")
    assert session[SESSION_COOKIE]["expires"] == "" or remember


@pytest.mark.parametrize(
    "path", ["/ingresar", "/inicio", "/health", "/static/app.css", "/no-existe"]
)
async def test_every_response_carries_the_security_headers(browser, path: str) -> None:
    client, secure = browser
    response = await client.get(path)
    policy = response.headers["content-security-policy"]
    assert (
        "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("style-src-attr")[0]
    )
    assert "frame-ancestors 'none'" in policy and "'unsafe-eval'" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-frame-options"] == "DENY"
    assert ("strict-transport-security" in response.headers) == secure


OPS_PATHS = {"/health", "/health/live", "/health/ready", "/metrics"}


def test_only_the_exact_exempt_paths_go_without_session_and_csrf() -> None:
    """Litestar searches the exclusion patterns anywhere in a path: `/static/`, the health and
    metrics routes and `/api/` must exempt a path that starts with them, and no other (no page
    whose path merely contains one loses its CSRF check)."""
    exempt = re.compile("|".join(NO_SESSION_PATHS))
    app = create_app(WebSettings(session_secret="x"))
    for route in app.routes:
        expected = route.path.startswith(("/static", "/api/")) or route.path in OPS_PATHS
        assert bool(exempt.search(route.path)) == expected, route.path
    for path in (
        "/referidos/api/actualizar",
        "/admin/health",
        "/x/static/y",
        "/healthz",
        "/health/lived",
        "/admin/metrics",
        "/metricsx",
    ):
        assert not exempt.search(path), path


def test_production_refuses_cookies_that_travel_without_tls() -> None:
    settings = {"session_secret": "s" * 32, "registration_service_token": "shared"}
    with pytest.raises(ImproperlyConfiguredException, match="WEB_SECURE_COOKIES"):
        create_app(WebSettings(environment="production", **settings))
    create_app(WebSettings(environment="production", secure_cookies=True, **settings))
