"""Turns the consultacenso API's reply to `POST /back/api/consulta` into a `LookupResult` (pure).

The reply is JSON `{"ok", "error"?, "encontrado", "data"?: {"nuip", "nom_depto", "nom_mun",
"nom_puesto", "direccion", "mesa"}, "mensaje"?, "novedad"?, "descripcion"?}` with keys in any case,
or an HTML page from the F5 firewall. Whatever comes back, the caller gets a result, never an
exception.
"""

from __future__ import annotations

import re

import structlog
from pydantic import ValidationError

from schemas.census import CensusStatus, VotingPlace
from services.census_worker.domain.model import LookupResult
from services.census_worker.lookup.consultacenso.fields import (
    Reply,
    flag,
    lower_keys,
    novedad_of,
    place_values,
    text,
)
from services.census_worker.lookup.replies.reading import (
    MAX_MESSAGE_CHARS,
    failed,
    never_raising,
    screened,
)
from services.census_worker.lookup.replies.text import fold

log = structlog.get_logger(__name__)

_NEEDS_NEW_CAPTCHA = re.compile(r"CAPTCHA|TOKEN|EXPIR|NO SOY UN ROBOT")
_UPSTREAM_TIMEOUT = re.compile(r"TIMED? ?OUT|TIEMPO DE ESPERA|TIEMPO AGOTADO")
_NOT_DIGITS = re.compile(r"\D")


def classify_consultacenso(
    body: str | bytes | None,
    *,
    source: str,
    http_status: int | None = None,
    cedula: str | None = None,
) -> LookupResult:
    """Classify one reply; `cedula` (digits) guards against data about someone else."""
    return never_raising(_classify, body, source, http_status, cedula)


def _classify(raw: str, source: str, http_status: int | None, cedula: str | None) -> LookupResult:
    parsed = screened(raw, source, http_status, MAX_MESSAGE_CHARS)
    if isinstance(parsed, LookupResult):
        return parsed
    note = f" (HTTP {http_status})" if http_status is not None else ""
    reply = lower_keys(parsed)
    ok = flag(reply.get("ok"))
    if ok is True:
        return _answer(reply, raw, source, cedula)
    if ok is False:
        return _refusal(reply, raw, source)
    return LookupResult.unrecognised(source, f"reply without a usable `ok`{note}", raw)


def _answer(reply: Reply, raw: str, source: str, cedula: str | None) -> LookupResult:
    if flag(reply.get("encontrado")) is True:
        return _found(reply.get("data"), raw, source, cedula)
    if flag(reply.get("novedad")) is True:
        return _novedad(reply, raw, source)
    if flag(reply.get("encontrado")) is False:
        return LookupResult(status=CensusStatus.NOT_FOUND, source=source)
    return LookupResult.unrecognised(source, "ok reply without `encontrado` or `novedad`", raw)


def _found(data: object, raw: str, source: str, cedula: str | None) -> LookupResult:
    if not isinstance(data, dict):
        return LookupResult.unrecognised(source, "found reply without a `data` object", raw)
    data = lower_keys(data)
    nuip = text(data.get("nuip"))
    if cedula and nuip and _NOT_DIGITS.sub("", nuip) != cedula:
        return failed(CensusStatus.ERROR, "the reply's data is for another cédula", raw, source)
    values = place_values(data)
    missing = sorted(field for field, value in values.items() if value is None)
    if missing:
        reason = f"found reply without {', '.join(missing)} (keys: {', '.join(map(str, data))})"
        return LookupResult.unrecognised(source, reason[:500], raw)
    try:
        place = VotingPlace(**{key: value for key, value in values.items() if value is not None})
    except ValidationError as exc:
        return failed(
            CensusStatus.ERROR,
            f"found reply values out of bounds: {exc.error_count()} error(s)",
            raw,
            source,
        )
    return LookupResult(status=CensusStatus.ACTIVE, source=source, voting_place=place)


def _novedad(reply: Reply, raw: str, source: str) -> LookupResult:
    mensaje, descripcion = text(reply.get("mensaje")), text(reply.get("descripcion"))
    try:
        novedad = novedad_of(mensaje, descripcion)
    except ValidationError as exc:
        return failed(
            CensusStatus.ERROR,
            f"novedad values out of bounds: {exc.error_count()} error(s)",
            raw,
            source,
        )
    deceased = "MUERTE" in fold(f"{mensaje} {descripcion}")
    status = CensusStatus.CANCELLED_DECEASED if deceased else CensusStatus.CANCELLED_OTHER
    return LookupResult(status=status, source=source, novedad=novedad)


def _refusal(reply: Reply, raw: str, source: str) -> LookupResult:
    error = text(reply.get("error")) or text(reply.get("mensaje"))
    words = fold(error)
    if _NEEDS_NEW_CAPTCHA.search(words):
        return failed(
            CensusStatus.BLOCKED, f"captcha refused by the site: {error[:200]}", raw, source
        )
    if _UPSTREAM_TIMEOUT.search(words):
        return failed(
            CensusStatus.TIMEOUT, f"the site's upstream timed out: {error[:200]}", raw, source
        )
    return failed(
        CensusStatus.ERROR, f"the site answered an error: {error[:200] or '(none)'}", raw, source
    )
