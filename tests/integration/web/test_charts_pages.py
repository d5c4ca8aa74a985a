"""The charts through the pages: a leader's Inicio draws their sign-ups against the goal and their
referidos' census, each chart an SVG with its title and a table with the same numbers; a
supporter's Inicio only their own sign-ups; Admin the campaign and its top places; Operación the
lookups of the last hours."""

from __future__ import annotations

import re
from collections.abc import Callable

from litestar.testing import AsyncTestClient

from services.web.projection.projector import Projector
from tests.integration.web.support import login
from tests.integration.web.test_voting_places_pages import campaign


def table_of(page: str, chart_id: str) -> str:
    figure = page.split(f'<figure class="chart" id="{chart_id}">')[1].split("</figure>")[0]
    assert '<svg class="chart__svg" role="img"' in figure
    assert f'<title id="{chart_id}-titulo">' in figure and f'<desc id="{chart_id}-desc">' in figure
    assert "<summary>Ver como tabla</summary>" in figure
    return re.sub(r"\s+", " ", figure.split("<table")[1])


async def test_a_leaders_inicio_draws_their_sign_ups_and_census_with_tables(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable, projector: Projector
) -> None:
    c = await campaign(registration, sync, projector)
    await login(web, c["first"]["cedula"])
    page = (await web.get("/inicio")).text

    signups = table_of(page, "grafico-avance")
    assert '<th scope="col">Acumulado</th>' in signups
    assert "<td>2</td><td>2</td></tr> </tbody>" in signups  # today: 2 sign-ups, 2 in all
    census = table_of(page, "grafico-estados")
    assert '<th scope="row">Activo (habilitado para votar)</th><td>2</td>' in census

    fragment = (await web.get("/inicio/graficos")).text
    assert 'id="graficos"' in fragment and "grafico-estados" in fragment


async def test_a_supporters_inicio_draws_only_their_own_sign_ups(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable, projector: Projector
) -> None:
    c = await campaign(registration, sync, projector)
    await login(web, c["ana"]["cedula"])
    page = (await web.get("/inicio")).text
    assert "grafico-avance" in page and "grafico-estados" not in page


async def test_admin_draws_the_campaign_with_its_top_municipios_and_puestos(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable, projector: Projector
) -> None:
    c = await campaign(registration, sync, projector)
    await login(web, c["admin"]["cedula"])
    page = (await web.get("/admin")).text
    for chart in ("grafico-avance", "grafico-estados", "grafico-municipios", "grafico-puestos"):
        table_of(page, chart)
    assert "grafico-municipios" in (await web.get("/admin/graficos")).text

    flow = (await web.get("/admin/operacion/graficos")).text
    for chart in ("grafico-consultas-estado", "grafico-consultas-sitio", "grafico-retraso"):
        assert "Hora" in table_of(flow, chart)
