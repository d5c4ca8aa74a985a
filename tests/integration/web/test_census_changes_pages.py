"""Novedades through the pages: a leader reads their referrals' changes (not another leader's),
an admin everyone's, a supporter none; the badge counts the unseen ones until «Marcar como
vistas» (a POST with its CSRF token)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from litestar.testing import AsyncTestClient

from schemas.census import CensusStatus, VotingPlace
from schemas.events import CedulaValidated
from services.web.projection.projector import Projector
from tests.integration.web.builders import project
from tests.integration.web.support import (
    csrf_from,
    login,
    post_form,
    register,
    register_admin,
    set_role,
)
from tests.integration.web.test_voting_places_pages import answer


def school(puesto: str, mesa: str) -> VotingPlace:
    return VotingPlace(
        departamento="SUCRE", municipio="SINCELEJO", puesto=puesto, direccion="CL 1", mesa=mesa
    )


async def campaign(
    registration: AsyncTestClient, sync: Callable, projector: Projector
) -> dict[str, Any]:
    """Two leaders: the first's referral moves from mesa 3 to mesa 8; the second's is checked
    twice with the same answer (no change)."""
    admin = await register_admin(registration)
    first, second = await register(registration), await register(registration)
    for leader in (first, second):
        await set_role(registration, admin["id"], leader["id"], "LEADER")
    ana = await register(registration, referral_code=first["referral_code"], nombre="Ana Mesa")
    rosa = await register(registration, referral_code=second["referral_code"], nombre="Rosa Igual")
    await sync()
    puesto = f"IE {secrets.token_hex(3).upper()}"
    await project(
        projector,
        answer(ana, school(puesto, "3")),
        answer(rosa, school(puesto, "2")),
        answer(rosa, school(puesto, "2")),
        answer(ana, school(puesto, "8")),
    )
    return {"admin": admin, "first": first, "second": second, "ana": ana, "puesto": puesto}


async def test_a_leader_reads_their_referrals_changes_with_before_and_after(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable, projector: Projector
) -> None:
    c = await campaign(registration, sync, projector)
    await login(web, c["first"]["cedula"])
    page = (await web.get("/novedades")).text
    assert "Ana Mesa" in page and "Cambió de mesa" in page
    assert f"{c['puesto']}, mesa 3" in page and f"{c['puesto']}, mesa 8" in page

    await login(web, c["second"]["cedula"])
    assert "Ana Mesa" not in (await web.get("/novedades")).text
    assert "Rosa Igual" not in (await web.get("/novedades")).text  # same answer twice: none

    await login(web, c["admin"]["cedula"])
    assert "Ana Mesa" in (await web.get("/novedades")).text


async def test_a_supporter_has_no_novedades(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable, projector: Projector
) -> None:
    c = await campaign(registration, sync, projector)
    await login(web, c["ana"]["cedula"])
    for path in ("/novedades", "/novedades/aviso"):
        assert (await web.get(path)).status_code == 403
    assert (await post_form(web, "/novedades/vistas", {})).status_code == 403
    assert "/novedades/aviso" not in (await web.get("/inicio")).text


async def test_the_badge_counts_unseen_changes_until_they_are_marked_seen(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable, projector: Projector
) -> None:
    c = await campaign(registration, sync, projector)
    await login(web, c["first"]["cedula"])
    for path in ("/inicio", "/referidos"):  # both pages fetch the badge, and again live
        assert 'hx-get="/novedades/aviso"' in (await web.get(path)).text
    assert "1 novedad en el censo sin ver" in (await web.get("/novedades/aviso")).text

    page = (await web.get("/novedades")).text
    refused = await web.post("/novedades/vistas", data={"hasta": ""})  # no CSRF token
    assert refused.status_code == 403
    seen = await web.post("/novedades/vistas", data={"_csrf_token": csrf_from(page)})
    assert seen.status_code == 303
    assert "sin ver" not in (await web.get("/novedades/aviso")).text

    await project(projector, cancelled(c["ana"]))
    assert "1 novedad en el censo sin ver" in (await web.get("/novedades/aviso")).text
    assert "Cédula cancelada" in (await web.get("/novedades")).text


def cancelled(user: dict[str, Any]) -> CedulaValidated:
    event = answer(user, school("-", "-"))
    data = event.data.model_copy(
        update={"status": CensusStatus.CANCELLED_DECEASED, "voting_place": None}
    )
    return event.model_copy(update={"data": data})
