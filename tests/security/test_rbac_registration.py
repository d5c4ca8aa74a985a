"""Every route the registration API serves × no token, the web's token alone, and the token acting
for a USER, a LEADER and an ADMIN on themselves, on their own referral and on another leader's.

The API has no route table of its own (a router-wide token guard, then the rules of
`domain/rbac.py` in the service layer), so the expected access is written here, per operation;
the routes come from the app, and a route missing from `ACCESS` fails the first test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from litestar.testing import AsyncTestClient

from services.registration.app import create_app
from services.registration.settings import RegistrationSettings
from tests.security.conftest import RELATIONS, People
from tests.security.routes import Route, http_routes
from tests.support.accounts import PASSWORD

PUBLIC = "public"  # no token needed
SERVICE = "service"  # the web's token; no acting user
OWNER = "owner"  # the acting user on their own account
ADMIN = "admin"  # an acting ADMIN
VALIDATION = "validation"  # themselves; a LEADER their direct referrals; an ADMIN anyone
RESET_LINK = "reset_link"  # a LEADER their direct referrals; an ADMIN anyone; never themselves
DELETION = "deletion"  # themselves, or an ADMIN anyone

ACCESS = {
    "health": PUBLIC,
    "health_live": PUBLIC,
    "health_ready": PUBLIC,
    "metrics": PUBLIC,
    "register_user": SERVICE,
    "verify_credentials": SERVICE,
    "update_profile": OWNER,
    "change_password": OWNER,
    "change_role": ADMIN,
    "set_account_state": ADMIN,
    "request_validation": VALIDATION,
    "request_bulk_validation": VALIDATION,
    "issue_reset_link": RESET_LINK,
    "set_temporary_password": ADMIN,
    "check_reset_link": SERVICE,  # the link's token is the credential (410 when dead)
    "complete_reset": SERVICE,
    "delete_account": DELETION,
    "person_keys": SERVICE,  # the readers of sealed events (web, worker, ops); never a person
    "file_claim": SERVICE,  # the web's public «¿Es su cédula?» form: limited per address, cédula
    "transfer_claim": ADMIN,
    "reject_claim": ADMIN,
    "edit_user": ADMIN,
    "hand_over_referrals": ADMIN,
}
# Allowed, these would erase the suite's shared people: only their refusals are sent here; the
# allowed cases run on throw-away accounts (tests/integration/registration/test_api_deletion.py).
DESTRUCTIVE = {"delete_account"}
DOCS = "/schema"  # Litestar's OpenAPI document and viewers: public, like the contract in docs/

Body = Callable[[People, str, dict[str, Any]], Any]
# A request each caller may legitimately make, so a refusal can only come from the access rule.
BODIES: dict[str, Body] = {
    "register_user": lambda people, caller, target: {},
    "verify_credentials": lambda people, caller, target: {
        "cedula": people.members["USER"]["cedula"],
        "password": PASSWORD,
    },
    "update_profile": lambda people, caller, target: {},
    "change_password": lambda people, caller, target: {
        "current_password": PASSWORD,
        "new_password": PASSWORD,
    },
    "change_role": lambda people, caller, target: {
        "role": caller if target is people.members.get(caller) else "USER"
    },
    # Enabling an enabled account: allowed or refused, it changes nobody for the next cases.
    "set_account_state": lambda people, caller, target: {"disabled": False},
    "request_validation": lambda people, caller, target: {"user_id": target["id"]},
    "request_bulk_validation": lambda people, caller, target: {"user_ids": [target["id"]]},
    # The password it sets is the one everybody has: the next cases still log in with it.
    "set_temporary_password": lambda people, caller, target: {"password": PASSWORD},
    "check_reset_link": lambda people, caller, target: {"token": "enlace-inventado"},
    # Nothing to change: allowed or refused, it changes nobody for the next cases.
    "edit_user": lambda people, caller, target: {},
    # Onto the same leader: an ADMIN gets a 422 (allowed past the access rule), others a 403.
    "hand_over_referrals": lambda people, caller, target: {
        "from_leader_id": target["id"],
        "to_leader_id": target["id"],
    },
    "complete_reset": lambda people, caller, target: {
        "token": "enlace-inventado",
        "new_password": PASSWORD,
    },
    # A cédula without an account: refused with 422 (allowed), no claim filed.
    "file_claim": lambda people, caller, target: {
        "cedula": "987650",
        "nombre": "Rosa Díaz",
        "telefono": "3105551234",
        "mensaje": "Es mía.",
    },
    # The path names a user, no claim: an ADMIN hears 404 (allowed), anyone else 403.
    "reject_claim": lambda people, caller, target: {"reason": "Sin pruebas."},
}
TARGETED = {
    "update_profile",
    "change_password",
    "change_role",
    "set_account_state",
    "request_validation",
    "request_bulk_validation",
    "issue_reset_link",
    "set_temporary_password",
    "delete_account",
    "edit_user",
}

ROUTES = http_routes(create_app(RegistrationSettings()))
ACTORS = ("USER", "LEADER", "ADMIN")


def access_of(route: Route) -> str | None:
    return PUBLIC if route.path.startswith(DOCS) else ACCESS.get(route.operation_id or "")


def _cases() -> list:
    cases = []
    for route in ROUTES:
        targeted = route.operation_id in TARGETED
        for caller in ("anonymous", "service", *ACTORS):
            for relation in RELATIONS if targeted and caller in ACTORS else (None,):
                label = f"{caller}-{route.method}-{route.operation_id or route.path}"
                label += f"-{relation}" if relation else ""
                cases.append(pytest.param(route, caller, relation, id=label))
    return cases


def expected(route: Route, caller: str, relation: str | None) -> str:
    access = access_of(route)
    if access == PUBLIC:
        return "allowed"
    if caller == "anonymous":
        return "no_token"
    if access == SERVICE:
        return "allowed"
    if caller == "service":
        return "no_actor"
    allowed = {
        OWNER: relation == "self",
        ADMIN: caller == "ADMIN",
        VALIDATION: relation == "self"
        or caller == "ADMIN"
        or (caller == "LEADER" and relation == "own_referral"),
        RESET_LINK: caller == "ADMIN" or (caller == "LEADER" and relation == "own_referral"),
        DELETION: relation == "self" or caller == "ADMIN",
    }[access]  # type: ignore[index]
    return "allowed" if allowed else "refused"


def outcome(route: Route, response: httpx.Response) -> str:
    assert response.status_code < 500, f"{route}: {response.status_code} {response.text}"
    body = response.json() if "json" in response.headers.get("content-type", "") else {}
    detail = body.get("detail", "") if isinstance(body, dict) else ""
    if response.status_code == 401 and "Token de servicio" in detail:
        return "no_token"
    if response.status_code == 401 and "la cuenta que hace la solicitud" in detail:
        return "no_actor"
    if response.status_code == 403 or (isinstance(body, dict) and body.get("refused")):
        return "refused"
    return "allowed"


def test_every_route_of_the_registration_api_has_an_expected_access() -> None:
    assert [str(route) for route in ROUTES if access_of(route) is None] == []


def test_every_api_route_is_behind_the_service_token_guard() -> None:
    app = create_app(RegistrationSettings())
    unguarded = [
        f"{sorted(handler.http_methods)} {route.path}"
        for route in app.routes
        if route.path.startswith("/api/")
        for handler in route.route_handlers
        if handler.http_methods != {"OPTIONS"} and not handler.resolve_guards()
    ]
    assert unguarded == []


@pytest.mark.parametrize(("route", "caller", "relation"), _cases())
async def test_registration_route_answers_each_caller_as_expected(
    registration: AsyncTestClient, people: People, route: Route, caller: str, relation: str | None
) -> None:
    if route.operation_id in DESTRUCTIVE and expected(route, caller, relation) == "allowed":
        pytest.skip("would erase a shared account: see DESTRUCTIVE")
    target = people.target(caller, relation) if relation else people.foreign
    headers = {"X-Actor-Id": people.members[caller]["id"]} if caller in ACTORS else {}
    if caller == "anonymous":
        headers["Authorization"] = ""
    body = BODIES.get(route.operation_id or "")
    response = await registration.request(
        route.method,
        route.url(target["id"]),
        json=body(people, caller, target) if body else None,
        headers=headers,
    )
    assert outcome(route, response) == expected(route, caller, relation)
