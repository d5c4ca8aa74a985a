"""Every form the web app posts, found from the app's routes and the pages that show them, gets
generated values in every field (other scripts' digits, superscripts, numbers int() refuses,
controls and NUL, very long text, empty, missing and repeated fields) from a logged-in ADMIN
(who reaches every form) with a valid CSRF token: no answer is a server error. The profile's
goal, the field that answered 500, also says why in Spanish."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.settings import KafkaSettings
from services.kafka_admin.dead_letters import DEAD_LETTER_TOPICS
from services.web.app import create_app
from services.web.bootstrap import web_services
from services.web.projection.projector import Projector
from services.web.settings import WebSettings
from tests.integration.web.conftest import web_settings
from tests.integration.web.support import project_outbox, register, register_admin
from tests.security.conftest import log_in, play
from tests.security.form_fields import CSRF_FIELD, Fields, forms_in, handler_reads, matches
from tests.security.hostile_text import FIVE_THOUSAND_DIGITS, SUPERSCRIPT_TWO, field_values
from tests.security.routes import Route, http_routes
from tests.support.serving import serving

APP = create_app(WebSettings(session_secret="forms"))
FORMS = [route for route in http_routes(APP) if route.changes_state]
# Routes that read no field (a button, the path).
FORMLESS = {
    "logout",
    "refresh_census",
    "issue_reset_link",
    "admin_delete_account",
    "admin_transfer_claim",
}
# What a page offers only while Kafka answers (this app's Kafka never does: nothing is sent).
OFFERED_WITH_KAFKA: Fields = {"dlt": set(DEAD_LETTER_TOPICS)}
EXAMPLES_PER_FORM = 30
BOUNDED = settings(
    max_examples=EXAMPLES_PER_FORM,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass
class World:
    client: httpx.AsyncClient
    admin: dict[str, Any]
    leaver: dict[str, Any]  # logs in and out (the ADMIN's password is tried wrong elsewhere)
    cookies: httpx.Cookies
    forms: dict[Route, Fields]
    target_id: str  # whom the routes that name a user are about: the admin's referral

    async def post(self, route: Route, body: dict[str, list[str]]) -> httpx.Response:
        cookies = self.cookies
        if route.name == "logout":  # it ends the session: a new one for each example
            cookies = await log_in(self.client, self.leaver["cedula"])
        play(self.client, cookies)
        data = body | {CSRF_FIELD: cookies["censo_csrf"]}
        return await self.client.post(route.url(self.target_id), data=data)


async def _crawl(client: httpx.AsyncClient, paths: list[str]) -> dict[str, Fields]:
    """The forms of every page at `paths` that answers HTML (live streams are left unread)."""
    found: dict[str, Fields] = {}
    for path in paths:
        async with client.stream("GET", path) as page:
            if page.status_code == 200 and "text/html" in page.headers.get("content-type", ""):
                for action, fields in forms_in((await page.aread()).decode()).items():
                    merged = found.setdefault(action, {})
                    for name, values in fields.items():
                        merged.setdefault(name, set()).update(values)
    return found


def _fields_of(route: Route, pages: dict[str, Fields]) -> Fields:
    fields: Fields = {name: set() for name in handler_reads(APP, route)}
    for action, offered in pages.items():
        if matches(route, action):
            for name, values in offered.items():
                fields.setdefault(name, set()).update(values)
    for name in fields.keys() & OFFERED_WITH_KAFKA.keys():
        fields[name] |= OFFERED_WITH_KAFKA[name]
    fields.pop(CSRF_FIELD, None)
    return fields


@pytest.fixture(scope="module")
async def world(
    web_db: str,
    registration: AsyncTestClient,
    registration_engine: AsyncEngine,
    projector: Projector,
) -> AsyncIterator[World]:
    """The web app served with a Kafka that never answers, an ADMIN of its own with a referral,
    and the forms its pages show to that ADMIN and to a visitor."""
    unreachable = KafkaSettings(bootstrap_servers="127.0.0.1:9", startup_timeout_s=1)
    app = create_app(web_settings(web_db, kafka=unreachable), registration_http=registration)
    admin = await register_admin(registration)
    referral = await register(registration, referral_code=admin["referral_code"])
    leaver = await register(registration)
    await project_outbox(registration_engine, projector)
    async with serving(app, log_config=None, lifespan="on") as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            paths = [r.url(referral["id"]) for r in http_routes(app) if r.method == "GET"]
            pages = await _crawl(client, [p for p in paths if p.startswith(("/ing", "/reg"))])
            cookies = await log_in(client, admin["cedula"])
            pages |= await _crawl(client, paths)
            forms = {route: _fields_of(route, pages) for route in FORMS}
            yield World(client, admin, leaver, cookies, forms, referral["id"])
        web_services(app.state).hub.close()
        await asyncio.sleep(0)


def bodies(fields: Fields) -> st.SearchStrategy[dict[str, list[str]]]:
    """A form body: each field missing, once or repeated; values generated or the page's own
    (so the other fields are often valid and a hostile one reaches further); now and then a
    field no form has."""

    def field(offered: set[str]) -> st.SearchStrategy[list[str]]:
        value = field_values()
        if offered:
            value = st.one_of(value, st.sampled_from(sorted(offered)))
        repeated = st.lists(value, min_size=2, max_size=3)
        return st.one_of(value.map(lambda v: [v]), st.just([]), repeated)

    known = st.fixed_dictionaries({name: field(offered) for name, offered in fields.items()})
    stray = st.dictionaries(st.sampled_from(["extra", "ñ", "a" * 300]), field(set()), max_size=1)
    return st.tuples(stray, known).map(lambda p: {k: v for k, v in (p[0] | p[1]).items() if v})


def test_every_form_is_found() -> None:
    """Discovery cannot silently test nothing: each state-changing route but the buttons has
    fields (checked on the handlers alone here; the pages add theirs in the fixture)."""
    fieldless = [str(r) for r in FORMS if r.name not in FORMLESS and not handler_reads(APP, r)]
    reads_a_tuple = ("update_profile", "admin_edit_user")  # FIELDS, EDITED
    assert fieldless == [str(r) for r in FORMS if r.name in reads_a_tuple]


@pytest.mark.parametrize("route", FORMS, ids=str)
@BOUNDED
@given(data=st.data())
async def test_no_value_in_any_form_field_is_a_server_error(
    world: World, route: Route, data: st.DataObject
) -> None:
    fields = world.forms[route]
    assert fields or route.name in FORMLESS, f"{route}: no form shows its fields"
    body = data.draw(bodies(fields), label="body")
    response = await world.post(route, body)
    assert response.status_code < 500, f"{route}: {response.status_code} {response.text[:300]}"


PROFILE = next(route for route in FORMS if route.name == "update_profile")


@BOUNDED
@given(goal=field_values())
@example(goal=SUPERSCRIPT_TWO)
@example(goal=FIVE_THOUSAND_DIGITS)
@example(goal="٣")
async def test_a_goal_that_is_not_a_plain_number_is_a_spanish_field_error(
    world: World, goal: str
) -> None:
    body = {"nombre": ["Ana María Pérez"], "telefono": ["3001234567"], "referral_goal": [goal]}
    response = await world.post(PROFILE, body)
    assert response.status_code in (303, 422), response.text[:300]
    if response.status_code == 422:
        assert "Meta de referidos:" in response.text
    else:
        assert goal.isascii() and goal.isdigit() and 1 <= int(goal) <= 10_000
