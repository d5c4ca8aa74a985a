"""«Descargar mis datos» (Ley 1581 de 2012, right of access): a person downloads everything the
campaign holds about them, as JSON and as CSV, from Perfil: the account, who referred them, their
census answer and its history, their referidos (with census for a leader only); never anybody
else's record, and nothing without a login."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID, uuid4

from litestar.testing import AsyncTestClient

from schemas.census import CensusStatus
from schemas.events import CedulaValidated, CedulaValidatedData
from services.web.projection.projector import Projector
from tests.integration.web.builders import project
from tests.integration.web.support import login, register, register_admin, set_role
from tests.support.events import SINCELEJO


def answer(person: dict[str, str], mesa: str) -> CedulaValidated:
    return CedulaValidated(
        producer="tests",
        data=CedulaValidatedData(
            user_id=UUID(person["id"]),
            cedula=person["cedula"],
            request_id=uuid4(),
            attempt=1,
            source="wsp",
            status=CensusStatus.ACTIVE,
            voting_place=SINCELEJO.model_copy(update={"mesa": mesa}),
            fetched_at=datetime.now(UTC),
        ),
    )


async def test_a_leader_downloads_their_account_census_history_and_referidos(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable, projector: Projector
) -> None:
    admin = await register_admin(registration)
    leader = await register(registration, nombre="Lucía Ramírez")
    await set_role(registration, admin["id"], leader["id"], "LEADER")
    referido = await register(registration, referral_code=leader["referral_code"])
    stranger = await register(registration)
    await sync()
    await project(projector, answer(leader, "12"), answer(leader, "13"), answer(referido, "4"))
    await login(web, leader["cedula"])

    response = await web.get("/perfil/mis-datos.json")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith('attachment; filename="mis-datos-')
    data = json.loads(response.content)
    assert data["cuenta"]["cedula"] == leader["cedula"]
    assert data["cuenta"]["nombre"] == "Lucía Ramírez" and data["cuenta"]["role"] == "LEADER"
    assert data["censo"]["mesa"] == "13" and data["censo"]["status"] == "ACTIVE"
    assert [a["mesa"] for a in data["historial_del_censo"]] == ["13", "12"]
    assert [r["cedula"] for r in data["referidos"]] == [referido["cedula"]]
    assert data["referidos"][0]["mesa"] == "4"  # a leader sees their referidos' census
    assert stranger["cedula"] not in response.text and admin["cedula"] not in response.text

    sheet = await web.get("/perfil/mis-datos.csv")
    rows = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    assert rows[0] == ["sección", "elemento", "campo", "valor"]
    assert ["cuenta", "1", "cedula", leader["cedula"]] in rows
    assert ["historial_del_censo", "2", "mesa", "12"] in rows
    assert ["referidos", "1", "cedula", referido["cedula"]] in rows


async def test_a_user_gets_their_referidos_without_census_and_who_referred_them(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable, projector: Projector
) -> None:
    leader = await register(registration, nombre="Lucía Ramírez")
    me = await register(registration, referral_code=leader["referral_code"])
    mine = await register(registration, referral_code=me["referral_code"])
    await sync()
    await project(projector, answer(mine, "7"))
    await login(web, me["cedula"])

    data = json.loads((await web.get("/perfil/mis-datos.json")).content)

    assert data["cuenta"]["referido_por"] == "Lucía Ramírez"
    assert data["censo"]["status"] == "PENDING" and data["historial_del_censo"] == []
    [referido] = data["referidos"]
    assert referido["cedula"] == mine["cedula"]
    assert set(referido) == {"nombre", "cedula", "telefono", "registered_at"}  # no census


async def test_no_download_without_a_login(web: AsyncTestClient) -> None:
    web.cookies.clear()
    for kind in ("json", "csv"):
        response = await web.get(f"/perfil/mis-datos.{kind}", follow_redirects=False)
        assert response.status_code in (302, 303) and "/ingresar" in response.headers["location"]
