"""Turns the `wsp` site's reply to the lookup POST into a `LookupResult` (pure, no I/O).

The reply is JSON `{"success": bool, "reload"?: bool, "data": {"message": "<HTML or text>"}}`, or an
HTML page from the F5 firewall. Whatever comes back, the caller gets a result, never an exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from schemas.census import CensusStatus
from services.census_worker.domain.model import LookupResult, clip_raw
from services.census_worker.lookup.replies.reading import (
    GATEWAY_TIMEOUTS,
    MAX_MESSAGE_CHARS,
    answered_ok,
    is_firewall_page,
    never_raising,
    parse_json_object,
)
from services.census_worker.lookup.replies.text import fold, without_cedulas
from services.census_worker.lookup.wsp.result_table import has_table, result_from_table

# Both linear on any text: a tag stops at the next "<" too (so "<<<<…" is not scanned to the end
# once per "<"), and the timeout is one search after the first "CURL ERROR" (not ".*" per match).
_TAGS = re.compile(r"<[^<>]*>")
_NOT_FOUND = re.compile(r"NO SE ENCUENTRA\b.{0,60}\bCENSO")
_CAPTCHA = re.compile(r"MARQUE EL CUADRO DE VERIFICACION|CAPTCHA")
_CURL_ERROR = "CURL ERROR"
_TIMED_OUT = re.compile(r"TIMED OUT|TIMEOUT")


@dataclass(frozen=True, slots=True)
class ReloadRequested:
    """The site asked the page to reload (expired session or nonce): no answer yet, try again."""

    raw_response: str | None


Reply = LookupResult | ReloadRequested


def classify_reply(
    body: str | bytes | None,
    *,
    source: str,
    http_status: int | None = None,
    cedula: str | None = None,
) -> Reply:
    """Classify one reply; `cedula` (digits) guards against a table about someone else."""
    return never_raising(_classify, body, source, http_status, cedula)


def _classify(text: str, source: str, http_status: int | None, cedula: str | None) -> Reply:
    status_note = f" (HTTP {http_status})" if http_status is not None else ""
    if not text.strip():
        return _fail(CensusStatus.ERROR, f"empty reply{status_note}", text, source)
    if is_firewall_page(text):
        reason = f"firewall page: se presentó un evento de seguridad{status_note}"
        return _fail(CensusStatus.BLOCKED, reason, text, source)
    reply = parse_json_object(text)
    if reply is None:
        reason = f"reply is not a JSON object{status_note}"
        if answered_ok(http_status):
            return LookupResult.unrecognised(source, reason, text)
        status = CensusStatus.TIMEOUT if http_status in GATEWAY_TIMEOUTS else CensusStatus.ERROR
        return _fail(status, reason, text, source)
    if reply.get("reload"):
        return ReloadRequested(raw_response=clip_raw(text))
    return _classify_message(reply, text, source, cedula)


def _classify_message(
    reply: dict[str, Any], text: str, source: str, cedula: str | None
) -> LookupResult:
    message = _message_of(reply)
    if message is None:
        return LookupResult.unrecognised(source, "reply without data.message", text)
    if len(message) > MAX_MESSAGE_CHARS:
        return _fail(
            CensusStatus.ERROR, f"reply message too large ({len(message)} chars)", text, source
        )
    if reply.get("success") is True and has_table(message):
        return result_from_table(message, source=source, cedula=cedula)
    words = fold(_TAGS.sub(" ", message))
    if _NOT_FOUND.search(words):
        return LookupResult(status=CensusStatus.NOT_FOUND, source=source)
    if _CAPTCHA.search(words):
        return _fail(
            CensusStatus.BLOCKED, f"captcha refused by the site: {words[:200]}", text, source
        )
    if _upstream_timed_out(words):
        return _fail(
            CensusStatus.TIMEOUT, f"the site's upstream timed out: {words[:200]}", text, source
        )
    return LookupResult.unrecognised(
        source, f"unexpected message: {words[:200] or '(empty)'}", text
    )


def _upstream_timed_out(words: str) -> bool:
    start = words.find(_CURL_ERROR)
    return start >= 0 and _TIMED_OUT.search(words, start + len(_CURL_ERROR)) is not None


def _message_of(reply: dict[str, Any]) -> str | None:
    data = reply.get("data")
    message = data.get("message") if isinstance(data, dict) else reply.get("message")
    return message if isinstance(message, str) else None


def _fail(status: CensusStatus, reason: str, raw: str, source: str) -> LookupResult:
    return LookupResult.failure(status, source, without_cedulas(reason), raw)
