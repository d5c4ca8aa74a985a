"""The `wsp` lookup page: `GET /censo/consultar/` renders the form, `POST` answers the consulta."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.enums import MediaType
from litestar.response import Template

from . import results
from .consulta import answer, firewall_response
from .form import ELECTIONS, PAGE_PATH, SITEKEY, ConsultaForm
from .simulator import Simulator

SESSION_COOKIE = "PHPSESSID"
FIREWALL_COOKIE = "cookiesession1"


@get(PAGE_PATH, operation_id="censo_consultar_page")
async def consultar_page(
    request: Request[Any, Any, Any], sim: NamedDependency[Simulator]
) -> Response[Any]:
    await sim.pause()
    if sim.settings.firewall_on_get and sim.roll(sim.settings.firewall_rate):
        return firewall_response(sim)
    if sim.roll(sim.settings.get_error_rate):
        return Response(results.SERVER_ERROR_PAGE, status_code=500, media_type=MediaType.HTML)
    issued = sim.sessions.issue_nonce(request.cookies.get(SESSION_COOKIE))
    cookies = []
    if issued.new_session:
        cookies = [
            Cookie(key=SESSION_COOKIE, value=issued.session_id, path="/"),
            Cookie(key=FIREWALL_COOKIE, value=issued.cookiesession1, path="/", httponly=True),
        ]
    context = {"token": issued.nonce, "sitekey": SITEKEY, "elections": ELECTIONS}
    context |= sim.page_context(request)
    return Template(template_name="consultar.html", context=context, cookies=cookies)


@post(PAGE_PATH, status_code=200, operation_id="censo_consultar")
async def consultar(
    request: Request[Any, Any, Any], sim: NamedDependency[Simulator]
) -> Response[Any]:
    form = ConsultaForm.from_fields(dict((await request.form()).items()))
    return await answer(sim, form, request.cookies.get(SESSION_COOKIE))
