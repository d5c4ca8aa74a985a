# ruff: noqa: F811 (fixtures imported from the web suite are named by the fixtures using them)
"""The security suite's world: the web app and the registration API on a real PostgreSQL (the same
wiring as the web integration tests), one app for the whole session, and a cast of logged-in
browsers: a USER, a LEADER and an ADMIN, each with a referral of their own, plus a referral of
another leader that none of them may touch."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from services.web.app import create_app
from services.web.bootstrap import web_services
from services.web.projection.projector import Projector

# The web integration suite's fixtures: both apps, their databases, the projector.
from tests.integration.web.conftest import (  # noqa: F401
    projector,
    registration,
    registration_db,
    registration_engine,
    web_db,
    web_engine,
    web_settings,
)
from tests.integration.web.support import (
    csrf_token,
    project_outbox,
    register,
    register_admin,
    set_role,
)
from tests.support.accounts import PASSWORD
from tests.support.serving import serving

WEB_API_TOKEN = "security-tests-web-api-token"
RELATIONS = ("self", "own_referral", "foreign")


@dataclass
class Browser:
    """A logged-in browser: its cookie jar, who it is, and its referral."""

    user: dict[str, Any]
    referral: dict[str, Any]
    cookies: httpx.Cookies

    def target(self, relation: str, foreign: dict[str, Any]) -> dict[str, Any]:
        return {"self": self.user, "own_referral": self.referral, "foreign": foreign}[relation]


@dataclass
class People:
    """Accounts on the registration side, before anyone logs in to the web."""

    members: dict[str, dict[str, Any]]  # by role
    referrals: dict[str, dict[str, Any]]  # each member's own referral, by role
    foreign: dict[str, Any]  # a referral of another leader

    def target(self, role: str, relation: str) -> dict[str, Any]:
        mine = {"self": self.members[role], "own_referral": self.referrals[role]}
        return mine.get(relation, self.foreign)


@dataclass
class Cast:
    browsers: dict[str, Browser]
    foreign: dict[str, Any]


@pytest.fixture(scope="session")
async def site(web_db: str, registration: AsyncTestClient) -> AsyncIterator[httpx.AsyncClient]:
    """The web app behind a real HTTP server (live streams need one) for the whole suite; tests
    put the cookies of the browser they play in the client."""
    settings = web_settings(web_db, api_token=WEB_API_TOKEN, sse_heartbeat_s=0.5)
    app = create_app(settings, registration_http=registration)
    async with serving(app, log_config=None, lifespan="on") as url:
        async with asyncio.timeout(20):
            await web_services(app.state).listener.ready.wait()
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            yield client
        web_services(app.state).hub.close()  # ends the open streams, so the server can stop


@pytest.fixture(scope="session")
def sync_read_model(
    site: httpx.AsyncClient, projector: Projector, registration_engine: AsyncEngine
) -> Callable[[], Awaitable[int]]:
    """Project what the registration API has written so far into the web's read model."""
    return lambda: project_outbox(registration_engine, projector)


async def log_in(site: httpx.AsyncClient, cedula: str, password: str = PASSWORD) -> httpx.Cookies:
    """A fresh browser that logs in through the login form; its cookie jar."""
    site.cookies.clear()
    token = await csrf_token(site)
    response = await site.post(
        "/ingresar", data={"cedula": cedula, "password": password, "_csrf_token": token}
    )
    assert response.status_code == 303, response.text
    return httpx.Cookies(site.cookies)


def play(site: httpx.AsyncClient, cookies: httpx.Cookies | None) -> None:
    """Make `site` act as the browser with these cookies (None: a new anonymous browser)."""
    site.cookies = httpx.Cookies(cookies) if cookies is not None else httpx.Cookies()


@pytest.fixture(scope="session")
async def people(registration: AsyncTestClient) -> People:
    admin = await register_admin(registration)
    other_leader = await register(registration)
    await set_role(registration, admin["id"], other_leader["id"], "LEADER")
    foreign = await register(registration, referral_code=other_leader["referral_code"])
    members: dict[str, dict[str, Any]] = {"ADMIN": admin}
    for role in ("USER", "LEADER"):
        members[role] = await register(registration)
        if role == "LEADER":
            await set_role(registration, admin["id"], members[role]["id"], role)
    referrals = {
        role: await register(registration, referral_code=user["referral_code"])
        for role, user in members.items()
    }
    return People(members, referrals, foreign)


@pytest.fixture(scope="session")
async def cast(
    site: httpx.AsyncClient, people: People, sync_read_model: Callable[[], Awaitable[int]]
) -> Cast:
    await sync_read_model()
    browsers = {
        role: Browser(user, people.referrals[role], await log_in(site, user["cedula"]))
        for role, user in people.members.items()
    }
    return Cast(browsers=browsers, foreign=people.foreign)
