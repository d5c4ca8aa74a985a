"""What the POST of the consulta answers, check by check, in the order the site applies them.

1. the F5 firewall (fault rate, or a `firewall` cédula): HTML page, not JSON;
2. session and nonce (or `reload_rate`): `{"success": false, "reload": true}`; nothing is spent;
3. captcha token (or a `captcha_rejected` cédula): the captcha message; the token is spent;
4. the nonce is spent; invalid nuip/tipo get a message;
5. upstream faults (`upstream_timeout_rate`, `hang_rate`, or such a cédula), then the census answer
   (a `changed_page` cédula: a success in a layout nobody knows, as after a redesign).
"""

from __future__ import annotations

import asyncio
import secrets
from typing import Any

from litestar import Response
from litestar.enums import MediaType

from . import results
from .form import SITEKEY, ConsultaForm
from .outcome import Outcome, OutcomeKind
from .simulator import Simulator

RELOAD = {"success": False, "reload": True}


def _message(text: str, success: bool = False) -> Response[Any]:
    return Response({"success": success, "data": {"message": text}}, media_type=MediaType.JSON)


def _html(page: str, status: int) -> Response[Any]:
    return Response(page, status_code=status, media_type=MediaType.HTML)


def firewall_response(sim: Simulator) -> Response[Any]:
    support_id = str(10**18 + secrets.randbelow(9 * 10**18))
    return _html(results.firewall_page(support_id), sim.settings.firewall_status)


async def answer(sim: Simulator, form: ConsultaForm, session_id: str | None) -> Response[Any]:
    settings = sim.settings
    await sim.pause()
    outcome = sim.census.outcome_for(form.nuip) if form.nuip_is_valid else None
    kind = outcome.kind if outcome else None
    if kind is OutcomeKind.FIREWALL or sim.roll(settings.firewall_rate):
        return firewall_response(sim)
    if sim.roll(settings.reload_rate) or not sim.sessions.nonce_matches(session_id, form.token):
        return Response(RELOAD, media_type=MediaType.JSON)
    captcha_ok = sim.solver.redeem(form.captcha, SITEKEY)  # spent even if refused below
    if not captcha_ok or kind is OutcomeKind.CAPTCHA_REJECTED:
        return _message(results.CAPTCHA_MESSAGE)
    sim.sessions.spend_nonce(session_id)
    if outcome is None:
        return _message(results.INVALID_NUIP_MESSAGE)
    if not form.tipo_is_valid:
        return _message(results.INVALID_TIPO_MESSAGE)
    if kind is OutcomeKind.UPSTREAM_TIMEOUT or sim.roll(settings.upstream_timeout_rate):
        return _message(results.UPSTREAM_TIMEOUT_MESSAGE)
    if kind is OutcomeKind.HANG or sim.roll(settings.hang_rate):
        await asyncio.sleep(settings.hang_s)
        return _html(results.GATEWAY_TIMEOUT_PAGE, 504)
    return _census_answer(sim, outcome)


def _census_answer(sim: Simulator, outcome: Outcome) -> Response[Any]:
    if outcome.place is not None:
        return _message(results.found_html(outcome.cedula, outcome.place), success=True)
    if outcome.novedad is not None:
        return _message(results.novedad_html(outcome.cedula, outcome.novedad), success=True)
    if outcome.kind is OutcomeKind.NOT_FOUND:
        text = results.not_found_message(outcome.cedula)
        return _message(text, success=sim.settings.not_found_as_success)
    if outcome.kind is OutcomeKind.RELOAD:
        return Response(RELOAD, media_type=MediaType.JSON)
    if outcome.kind is OutcomeKind.CHANGED_PAGE:
        return _message(results.CHANGED_PAGE_MESSAGE, success=True)
    return _html(results.SERVER_ERROR_PAGE, 500)  # OutcomeKind.GET_ERROR
