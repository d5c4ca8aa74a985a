"""A failed census lookup reads in plain Spanish for supporters and leaders (Inicio, the census
card, Referidos, its live row, the CSV); only the admin's detail page shows the worker's
technical reason and raw answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from litestar.testing import AsyncTestClient

from schemas.census import CensusStatus
from schemas.events import ValidationFailed, ValidationFailedData
from services.web.projection.projector import Projector
from services.web.views.explanations import ASK_AGAIN, WHAT_HAPPENED
from tests.integration.web.builders import project
from tests.integration.web.support import login, register, register_admin, set_role

REASON = "Page.goto: net::ERR_CONNECTION_RESET (firewall dropped the request)"
RAW = "<html>Request blocked by the WAF</html>"


def failure(user: dict, status: CensusStatus, retry_in: timedelta | None) -> ValidationFailed:
    now = datetime.now(UTC)
    return ValidationFailed(
        producer="tests",
        data=ValidationFailedData(
            user_id=UUID(user["id"]),
            cedula=user["cedula"],
            request_id=uuid4(),
            attempt=3,
            source="wsp",
            status=status,
            reason=REASON,
            will_retry=retry_in is not None,
            next_attempt_at=now + retry_in if retry_in else None,
            raw_response=RAW,
            failed_at=now,
        ),
    )


def assert_plain(text: str) -> None:
    assert "ERR_CONNECTION_RESET" not in text and "firewall" not in text
    assert "WAF" not in text and "Motivo técnico" not in text


async def test_people_read_what_happened_and_admins_read_why(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable, projector: Projector
) -> None:
    admin = await register_admin(registration)
    leader = await register(registration)
    await set_role(registration, admin["id"], leader["id"], "LEADER")
    supporter = await register(registration, referral_code=leader["referral_code"])
    await sync()
    await project(projector, failure(supporter, CensusStatus.BLOCKED, None))

    await login(web, supporter["cedula"])
    for path in ("/inicio", f"/censo/{supporter['id']}", "/perfil"):
        page = (await web.get(path)).text
        assert_plain(page)
        assert WHAT_HAPPENED[CensusStatus.BLOCKED].split(":")[0] in page and ASK_AGAIN in page

    await login(web, leader["cedula"])
    listing = (await web.get("/referidos")).text
    assert 'data-status="BLOCKED"' in listing and ASK_AGAIN in listing
    for path in (f"/referidos/fila/{supporter['id']}", f"/censo/{supporter['id']}", "/inicio"):
        assert_plain((await web.get(path)).text)
    csv_text = (await web.get("/referidos.csv")).text
    assert_plain(csv_text)
    assert ASK_AGAIN in csv_text

    await login(web, admin["cedula"])
    detail = (await web.get(f"/admin/usuarios/{supporter['id']}")).text
    assert "Motivo técnico" in detail and REASON in detail  # the card's technical details
    assert "&lt;html&gt;Request blocked by the WAF&lt;/html&gt;" in detail  # raw, escaped


async def test_a_retry_scheduled_is_announced_with_its_time(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable, projector: Projector
) -> None:
    supporter = await register(registration)
    await sync()
    await project(projector, failure(supporter, CensusStatus.TIMEOUT, timedelta(minutes=5)))
    await login(web, supporter["cedula"])
    card = (await web.get(f"/censo/{supporter['id']}")).text
    assert_plain(card)
    assert "Lo intentaremos de nuevo automáticamente el " in card
