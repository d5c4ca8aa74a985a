"""The consultacenso routes: the page, `GET back/api/elecciones` and `POST back/api/consulta`."""

from __future__ import annotations

import json
from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.response import Template

from .. import results
from ..consulta import firewall_response
from ..simulator import Simulator
from .answer import answer, json_answer
from .request import ELECTIONS, SITEKEY, ConsultaRequest

API_PATH = "/back/api"


def consultacenso_router(prefix: str) -> Router:
    """The variant's routes under `prefix` ('' = at the root, like the real host)."""
    return Router(path=prefix or "/", route_handlers=[page, elecciones, consulta])


@get("/", operation_id="consultacenso_page")
async def page(request: Request[Any, Any, Any], sim: NamedDependency[Simulator]) -> Response[Any]:
    await sim.pause()
    if sim.settings.firewall_on_get and sim.roll(sim.settings.firewall_rate):
        return firewall_response(sim)
    if sim.roll(sim.settings.get_error_rate):
        return Response(results.SERVER_ERROR_PAGE, status_code=500, media_type=MediaType.HTML)
    api_base = sim.settings.consultacenso_prefix + API_PATH
    context = {"sitekey": SITEKEY, "api_base": api_base} | sim.page_context(request)
    return Template(template_name="consultacenso.html", context=context)


@get(f"{API_PATH}/elecciones", operation_id="consultacenso_elecciones")
async def elecciones(sim: NamedDependency[Simulator]) -> Response[Any]:
    await sim.pause()
    return json_answer(sim, {"ok": True, "data": list(ELECTIONS)})


@post(f"{API_PATH}/consulta", status_code=200, operation_id="consultacenso_consulta")
async def consulta(
    request: Request[Any, Any, Any], sim: NamedDependency[Simulator]
) -> Response[Any]:
    try:
        payload = json.loads(await request.body())
    except (ValueError, RecursionError):
        payload = None
    return await answer(sim, ConsultaRequest.from_json(payload))
