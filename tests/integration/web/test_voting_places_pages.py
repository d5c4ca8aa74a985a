"""Dónde votan through the pages: a leader drills down to their referrals' puestos and prints a
puesto's list with masked cédulas; an admin sees everyone or filters by leader; a supporter is
refused; the CSV carries the counts and the map links."""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote_plus
from uuid import UUID, uuid4

from litestar.testing import AsyncTestClient

from schemas.census import CensusStatus, VotingPlace
from schemas.events import CedulaValidated, CedulaValidatedData
from services.common.logging import mask_cedula
from services.web.projection.projector import Projector
from tests.integration.web.builders import project
from tests.integration.web.support import login, register, register_admin, set_role


def answer(user: dict[str, Any], place: VotingPlace) -> CedulaValidated:
    return CedulaValidated(
        producer="tests",
        data=CedulaValidatedData(
            user_id=UUID(user["id"]),
            cedula=user["cedula"],
            request_id=uuid4(),
            attempt=1,
            source="wsp",
            status=CensusStatus.ACTIVE,
            voting_place=place,
            fetched_at=datetime.now(UTC),
        ),
    )


async def campaign(
    registration: AsyncTestClient, sync: Callable, projector: Projector
) -> dict[str, Any]:
    """An admin, two leaders; the first with two referrals at one puesto (mesas 3 and 5), the
    second with one at another puesto of the same town."""
    admin = await register_admin(registration)
    first, second = await register(registration), await register(registration)
    for leader in (first, second):
        await set_role(registration, admin["id"], leader["id"], "LEADER")
    ana = await register(registration, referral_code=first["referral_code"])
    luis = await register(registration, referral_code=first["referral_code"])
    rosa = await register(registration, referral_code=second["referral_code"])
    await sync()
    town = f"PUEBLO {secrets.token_hex(3).upper()}"

    def place(puesto: str, mesa: str) -> VotingPlace:
        return VotingPlace(
            departamento="SUCRE", municipio=town, puesto=puesto, direccion="CL 1 # 2-3", mesa=mesa
        )

    await project(
        projector,
        answer(ana, place("IE SAN JOSE", "3")),
        answer(luis, place("IE SAN JOSE", "5")),
        answer(rosa, place("COLEGIO <b>MAYOR</b>", "1")),
    )
    return {"admin": admin, "first": first, "second": second, "ana": ana, "town": town}


async def test_a_leader_drills_down_to_their_referrals_puesto_and_prints_its_list(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable, projector: Projector
) -> None:
    c = await campaign(registration, sync, projector)
    await login(web, c["first"]["cedula"])
    town = c["town"]
    page = (await web.get("/puestos", params={"departamento": "SUCRE", "municipio": town})).text
    assert "IE SAN JOSE" in page and "MAYOR" not in page  # only their direct referrals
    maps = "https://www.google.com/maps/search/?api=1&amp;query="
    assert maps + quote_plus(f"IE SAN JOSE, CL 1 # 2-3, {town}, SUCRE") in page

    params = {"departamento": "SUCRE", "municipio": town, "puesto": "IE SAN JOSE"}
    mesas = (await web.get("/puestos", params=params)).text
    assert "Mesa 3" in mesas and "Mesa 5" in mesas and "Lista para testigos" in mesas

    listing = await web.get("/puestos/lista", params=params)
    assert listing.status_code == 200
    assert mask_cedula(c["ana"]["cedula"]) in listing.text
    assert c["ana"]["cedula"] not in listing.text
    # Another leader's id in the query changes nothing: a leader sees their own people.
    other = {**params, "lider": c["second"]["id"]}
    assert mask_cedula(c["ana"]["cedula"]) in (await web.get("/puestos/lista", params=other)).text


async def test_an_admin_sees_everyone_or_one_leader_and_reads_whole_cedulas(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable, projector: Projector
) -> None:
    c = await campaign(registration, sync, projector)
    await login(web, c["admin"]["cedula"])
    where = {"departamento": "SUCRE", "municipio": c["town"]}
    everyone = (await web.get("/puestos", params=where)).text
    assert "IE SAN JOSE" in everyone and "COLEGIO &lt;b&gt;MAYOR&lt;/b&gt;" in everyone
    one = (await web.get("/puestos", params={**where, "lider": c["second"]["id"]})).text
    assert "MAYOR" in one and "IE SAN JOSE" not in one

    listing = await web.get("/puestos/lista", params={**where, "puesto": "IE SAN JOSE"})
    assert c["ana"]["cedula"] in listing.text


async def test_a_supporter_may_not_see_where_people_vote(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable, projector: Projector
) -> None:
    c = await campaign(registration, sync, projector)
    await login(web, c["ana"]["cedula"])
    for path in ("/puestos", "/puestos.csv", "/puestos/lista"):
        assert (await web.get(path)).status_code == 403


async def test_the_csv_has_one_line_per_mesa_with_its_count_and_map_link(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable, projector: Projector
) -> None:
    c = await campaign(registration, sync, projector)
    await login(web, c["first"]["cedula"])
    response = await web.get("/puestos.csv", params={"departamento": "SUCRE"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[0][:6] == ["Departamento", "Municipio", "Puesto", "Dirección", "Mesa", "Personas"]
    mine = [row for row in rows[1:] if row[1] == c["town"]]
    assert sorted((row[2], row[4], row[5]) for row in mine) == [
        ("IE SAN JOSE", "3", "1"),
        ("IE SAN JOSE", "5", "1"),
    ]
    assert mine[0][6].startswith("https://www.google.com/maps/search/?api=1&query=IE+SAN+JOSE")
