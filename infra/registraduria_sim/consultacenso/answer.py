"""What `POST /back/api/consulta` answers, check by check, in the order the site applies them.

1. a body that is not a JSON object: HTTP 400 with an error;
2. the F5 firewall (fault rate, or a `firewall` cédula): HTML page, not JSON;
3. captcha token (or a `captcha_rejected` or `reload` cédula): the captcha error; token spent;
4. invalid documento or eleccionId: an error;
5. upstream faults (`upstream_timeout_rate`, `hang_rate`, or such a cédula), then the census answer
   (a `changed_page` cédula: `ok` with fields nobody knows, as after a redesign).
Every JSON answer is HTTP 200, `ok` false on failure; keys upper-cased when the setting says so.
"""

from __future__ import annotations

import asyncio
from typing import Any

from litestar import Response
from litestar.enums import MediaType

from .. import results
from ..consulta import firewall_response
from ..outcome import Outcome, OutcomeKind
from ..simulator import Simulator
from . import bodies
from .request import SITEKEY, ConsultaRequest

_NEEDS_NEW_CAPTCHA = frozenset({OutcomeKind.CAPTCHA_REJECTED, OutcomeKind.RELOAD})


def json_answer(sim: Simulator, body: bodies.Body, status: int = 200) -> Response[Any]:
    content = bodies.upper_keys(body) if sim.settings.consultacenso_upper_keys else body
    return Response(content, status_code=status, media_type=MediaType.JSON)


def _html(page: str, status: int) -> Response[Any]:
    return Response(page, status_code=status, media_type=MediaType.HTML)


async def answer(sim: Simulator, request: ConsultaRequest | None) -> Response[Any]:
    settings = sim.settings
    await sim.pause()
    if request is None:
        return json_answer(sim, bodies.failure(bodies.BAD_REQUEST_ERROR), status=400)
    outcome = sim.census.outcome_for(request.documento) if request.documento_is_valid else None
    kind = outcome.kind if outcome else None
    if kind is OutcomeKind.FIREWALL or sim.roll(settings.firewall_rate):
        return firewall_response(sim)
    captcha_ok = sim.solver.redeem(request.captcha_token, SITEKEY)  # spent even if refused below
    if not captcha_ok or kind in _NEEDS_NEW_CAPTCHA:
        return json_answer(sim, bodies.failure(settings.consultacenso_captcha_error))
    if outcome is None:
        return json_answer(sim, bodies.failure(bodies.INVALID_DOCUMENTO_ERROR))
    if not request.eleccion_is_valid:
        return json_answer(sim, bodies.failure(bodies.INVALID_ELECCION_ERROR))
    if kind is OutcomeKind.UPSTREAM_TIMEOUT or sim.roll(settings.upstream_timeout_rate):
        return json_answer(sim, bodies.failure(settings.consultacenso_timeout_error))
    if kind is OutcomeKind.HANG or sim.roll(settings.hang_rate):
        await asyncio.sleep(settings.hang_s)
        return _html(results.GATEWAY_TIMEOUT_PAGE, 504)
    return _census_answer(sim, outcome)


def _census_answer(sim: Simulator, outcome: Outcome) -> Response[Any]:
    if outcome.place is not None:
        return json_answer(sim, bodies.found(outcome.cedula, outcome.place))
    if outcome.novedad is not None:
        return json_answer(sim, bodies.novedad(outcome.novedad))
    if outcome.kind is OutcomeKind.NOT_FOUND:
        return json_answer(sim, bodies.not_found())
    if outcome.kind is OutcomeKind.CHANGED_PAGE:
        return json_answer(sim, bodies.changed_page())
    return _html(results.SERVER_ERROR_PAGE, 500)  # OutcomeKind.GET_ERROR
