"""Helpers of the web tests: real accounts through the registration API, their events projected
from its outbox, logging in through the pages, reading forms' CSRF tokens."""

from __future__ import annotations

import re
from typing import Any

from aiokafka.structs import ConsumerRecord
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.events import Role
from services.registration.domain.commands import RegisterUser
from services.registration.service_layer.accounts import register_user
from services.web.projection.projector import Projector
from tests.support.accounts import PASSWORD, new_cedula, sign_up_form

# Records from the outbox use their own partition, apart from the hand-built ones (partition 0).
OUTBOX_PARTITION = 7


async def register(registration: AsyncTestClient, **overrides: Any) -> dict[str, Any]:
    response = await registration.post("/api/users", json=sign_up_form(**overrides))
    assert response.status_code == 201, response.text
    return response.json()


async def register_admin(registration: AsyncTestClient) -> dict[str, Any]:
    """The way `censo admin create` does it: the service layer with role ADMIN (run on the
    registration app's own event loop, where its database engine lives)."""
    services = registration.app.state.services
    cmd = RegisterUser(new_cedula(), "Admin Campaña", "3001112233", PASSWORD, True, role=Role.ADMIN)
    portal = registration.blocking_portal  # type: ignore[attr-defined]
    user = portal.call(register_user, cmd, services.uow(), services.hasher)
    return {"id": str(user.id), "cedula": user.cedula, "referral_code": user.referral_code}


async def set_role(registration: AsyncTestClient, admin_id: str, user_id: str, role: str) -> None:
    response = await registration.put(
        f"/api/users/{user_id}/role", json={"role": role}, headers={"X-Actor-Id": admin_id}
    )
    assert response.status_code == 200, response.text


async def project_outbox(registration_engine: AsyncEngine, projector: Projector) -> int:
    """Deliver the registration's unsent outbox rows to the projector, as the relay and Kafka
    would (offset = outbox id), and mark them sent. Returns how many were projected."""
    async with registration_engine.begin() as conn:
        rows = list(
            await conn.execute(
                text(
                    "SELECT id, topic, key, value FROM outbox WHERE sent_at IS NULL "
                    "ORDER BY id FOR UPDATE SKIP LOCKED"
                )
            )
        )
        for row in rows:
            await projector.project(_record(row))
        ids = [row.id for row in rows]
        if ids:
            await conn.execute(
                text("UPDATE outbox SET sent_at = now() WHERE id = ANY(:ids)"), {"ids": ids}
            )
    return len(rows)


def _record(row: Any) -> ConsumerRecord:
    return ConsumerRecord(
        topic=row.topic,
        partition=OUTBOX_PARTITION,
        offset=row.id,
        timestamp=0,
        timestamp_type=0,
        key=row.key,
        value=row.value,
        checksum=None,
        serialized_key_size=len(row.key),
        serialized_value_size=len(row.value),
        headers=[],
    )


CSRF_INPUT = re.compile(r'name="_csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


async def csrf_token(web: AsyncTestClient) -> str:
    """A token as the pages hand it out (the login page has one for anyone)."""
    return csrf_from((await web.get("/ingresar")).text)


async def login(
    web: AsyncTestClient, cedula: str, password: str = PASSWORD, remember: bool = False
) -> Any:
    web.cookies.clear()
    token = await csrf_token(web)
    data = {"cedula": cedula, "password": password, "_csrf_token": token}
    if remember:
        data["recordarme"] = "on"
    return await web.post("/ingresar", data=data)


async def post_form(web: AsyncTestClient, path: str, data: dict[str, Any]) -> Any:
    token = csrf_from((await web.get("/inicio")).text)
    return await web.post(path, data={**data, "_csrf_token": token})


async def htmx_post(web: AsyncTestClient, path: str, data: dict[str, Any] | None = None) -> Any:
    """As htmx sends it: the CSRF token in the header the page declares."""
    token = csrf_from((await web.get("/inicio")).text)
    headers = {"X-CSRFToken": token, "HX-Request": "true"}
    return await web.post(path, data=data or {}, headers=headers)
