"""A novedad reaches the leader live: a referral's mesa changes → `census-changed` on the
leader's stream (the badge and the Novedades list fetch themselves again), and nobody else's."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from litestar.testing import AsyncTestClient

from schemas.census import VotingPlace
from services.web.projection.projector import Projector
from tests.integration.web.builders import project
from tests.integration.web.sse_client import EventStream
from tests.integration.web.support import register, register_admin, set_role
from tests.integration.web.test_live_updates import browser
from tests.integration.web.test_voting_places_pages import answer


def mesa(number: str) -> VotingPlace:
    return VotingPlace(
        departamento="SUCRE", municipio="SINCELEJO", puesto="IE UNO", direccion="CL 1", mesa=number
    )


async def test_a_changed_mesa_is_announced_live_to_the_leader_only(
    served_url: str,
    registration: AsyncTestClient,
    sync: Callable,
    projector: Projector,
) -> None:
    admin = await register_admin(registration)
    leader, other = await register(registration), await register(registration)
    for user in (leader, other):
        await set_role(registration, admin["id"], user["id"], "LEADER")
    ana = await register(registration, referral_code=leader["referral_code"])
    await sync()
    await project(projector, answer(ana, mesa("3")))

    clients = {"leader": await browser(served_url, leader["cedula"])}
    clients["other"] = await browser(served_url, other["cedula"])
    streams = {name: EventStream(client) for name, client in clients.items()}
    try:
        for stream in streams.values():
            await stream.__aenter__()
        await project(projector, answer(ana, mesa("3")))  # the same answer: no novedad
        await asyncio.sleep(0.5)
        assert "census-changed" not in streams["leader"].names()
        await project(projector, answer(ana, mesa("8")))
        leads = streams["leader"]
        await leads.wait(lambda: "census-changed" in leads.names(), timeout_s=2.0)
        await asyncio.sleep(0.3)  # time enough for a wrong delivery to show
        assert "census-changed" not in streams["other"].names()
        badge = await clients["leader"].get("/novedades/aviso")
        assert "1 novedad en el censo sin ver" in badge.text
    finally:
        for stream in streams.values():
            await stream.__aexit__()
        for client in clients.values():
            await client.aclose()
