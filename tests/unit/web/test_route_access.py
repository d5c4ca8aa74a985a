"""The route table: every route has exactly one declared level, and roles map onto levels."""

from __future__ import annotations

from uuid import uuid4

import pytest

from schemas.events import Role
from services.web.app import create_app, route_handlers
from services.web.auth.roles import ROUTE_ACCESS, Access, role_allows
from services.web.auth.rules import can_view_census
from services.web.settings import WebSettings


@pytest.fixture(scope="module")
def routes() -> dict[str, set[str]]:
    app = create_app(WebSettings(session_secret="unit"))
    return {handler.name: set(handler.http_methods) for handler in route_handlers(app)}


def test_every_route_has_an_access_rule_and_every_rule_a_route(routes: dict) -> None:
    assert set(routes) == set(ROUTE_ACCESS)


def test_admin_pages_need_the_admin_role() -> None:
    admin_routes = {name for name in ROUTE_ACCESS if name.startswith("admin")}
    assert admin_routes and all(ROUTE_ACCESS[name] is Access.ADMIN for name in admin_routes)


def test_bulk_refresh_is_for_leaders_and_single_refresh_for_everyone() -> None:
    assert ROUTE_ACCESS["refresh_selected"] is ROUTE_ACCESS["refresh_all"] is Access.LEADER
    assert ROUTE_ACCESS["refresh_census"] is Access.USER


def test_only_sign_in_sign_up_the_policy_reset_links_and_claims_are_public(routes: dict) -> None:
    public = {name for name, access in ROUTE_ACCESS.items() if access is Access.PUBLIC}
    assert public == {
        "health",
        "health_live",
        "health_ready",
        "metrics",
        "static",
        "static/head",
        "login_page",
        "login",
        "legacy_login",
        "logout",
        "register_page",
        "register",
        "legacy_register",
        "policy_page",
        "reset_password_page",  # a one-time reset link: its token is the credential
        "reset_password",
        "claim_page",  # «¿Es su cédula?»: limited per connection and per cédula
        "file_claim",
    }


def test_claims_are_read_and_decided_by_admins_alone() -> None:
    names = ("admin_claims", "admin_claims_badge", "admin_transfer_claim", "admin_reject_claim")
    assert {ROUTE_ACCESS[name] for name in names} == {Access.ADMIN}


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.USER, {Access.PUBLIC, Access.TOKEN, Access.USER}),
        (Role.LEADER, {Access.PUBLIC, Access.TOKEN, Access.USER, Access.LEADER}),
        (Role.ADMIN, set(Access)),
    ],
)
def test_each_role_reaches_its_level_and_those_below(role: Role, allowed: set[Access]) -> None:
    assert {access for access in Access if role_allows(role, access)} == allowed


def test_a_user_sees_only_their_own_census() -> None:
    me, other = uuid4(), uuid4()
    assert can_view_census(me, Role.USER, me, None)
    assert not can_view_census(me, Role.USER, other, me)  # even a user they referred


def test_a_leader_sees_direct_referrals_only() -> None:
    leader, referral, stranger = uuid4(), uuid4(), uuid4()
    assert can_view_census(leader, Role.LEADER, referral, leader)
    assert not can_view_census(leader, Role.LEADER, stranger, referral)
    assert not can_view_census(leader, Role.LEADER, stranger, None)


def test_an_admin_sees_everyone() -> None:
    assert can_view_census(uuid4(), Role.ADMIN, uuid4(), None)


def test_reset_links_are_made_by_leaders_and_temporary_passwords_by_admins() -> None:
    assert ROUTE_ACCESS["issue_reset_link"] is Access.LEADER
    assert ROUTE_ACCESS["admin_temporary_password"] is Access.ADMIN
