"""Turns the `wsp` site's reply to the lookup POST into a `LookupResult` (pure, no I/O).

The reply is JSON `{"success": bool, "reload"?: bool, "data": {"message": "<HTML or text>"}}`, or an
HTML page from the F5 firewall. Whatever comes back, the caller gets a result, never an exception.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import structlog

from schemas.census import CensusStatus
from services.census_worker.lookup.model import LookupResult, clip_raw
from services.census_worker.lookup.result_table import has_table, result_from_table
from services.census_worker.lookup.text import fold

log = structlog.get_logger(__name__)
T = TypeVar("T")

MAX_MESSAGE_CHARS = 200_000  # the real answer is ~1.5 kB; anything huge is not an answer
_TAGS = re.compile(r"<[^>]*>")
_FIREWALL = re.compile(
    r"se\s+present(?:ó|o|&oacute;|&#243;|&#xf3;|\\u00f3)\s+un\s+evento\s+de\s+seguridad"
    r"|the\s+requested\s+url\s+was\s+rejected",
    re.IGNORECASE,
)
_NOT_FOUND = re.compile(r"NO SE ENCUENTRA\b.{0,60}\bCENSO")
_CAPTCHA = re.compile(r"MARQUE EL CUADRO DE VERIFICACION|CAPTCHA")
_UPSTREAM_TIMEOUT = re.compile(r"CURL ERROR.*(?:TIMED OUT|TIMEOUT)")
GATEWAY_TIMEOUTS = frozenset({408, 504})


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


def never_raising(
    classify: Callable[[str, str, int | None, str | None], T],
    body: str | bytes | None,
    source: str,
    http_status: int | None,
    cedula: str | None,
) -> T | LookupResult:
    """Run a classifier on the decoded body; a parser bug becomes an ERROR, never a crash."""
    try:
        return classify(decode_body(body), source, http_status, cedula)
    except Exception as exc:
        log.exception("census_reply_unclassifiable", source=source, http_status=http_status)
        reason = f"unclassifiable reply ({type(exc).__name__})"
        return LookupResult.failure(CensusStatus.ERROR, source, reason, clip_raw(body))


def decode_body(body: str | bytes | None) -> str:
    if body is None or isinstance(body, str):
        return body or ""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


def _classify(text: str, source: str, http_status: int | None, cedula: str | None) -> Reply:
    status_note = f" (HTTP {http_status})" if http_status is not None else ""
    if not text.strip():
        return _fail(CensusStatus.ERROR, f"empty reply{status_note}", text, source)
    if is_firewall_page(text):
        reason = f"firewall page: se presentó un evento de seguridad{status_note}"
        return _fail(CensusStatus.BLOCKED, reason, text, source)
    reply = parse_json_object(text)
    if reply is None:
        status = CensusStatus.TIMEOUT if http_status in GATEWAY_TIMEOUTS else CensusStatus.ERROR
        return _fail(status, f"reply is not a JSON object{status_note}", text, source)
    if reply.get("reload"):
        return ReloadRequested(raw_response=clip_raw(text))
    return _classify_message(reply, text, source, cedula)


def _classify_message(reply: dict, text: str, source: str, cedula: str | None) -> LookupResult:
    message = _message_of(reply)
    if message is None:
        return _fail(CensusStatus.ERROR, "reply without data.message", text, source)
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
    if _UPSTREAM_TIMEOUT.search(words):
        return _fail(
            CensusStatus.TIMEOUT, f"the site's upstream timed out: {words[:200]}", text, source
        )
    return _fail(
        CensusStatus.ERROR, f"unexpected message: {words[:200] or '(empty)'}", text, source
    )


def is_firewall_page(text: str) -> bool:
    """The F5 block page ("se presentó un evento de seguridad"), whatever its markup."""
    return _FIREWALL.search(text) is not None


def parse_json_object(text: str) -> dict | None:
    try:
        reply = json.loads(text)
    except (ValueError, RecursionError):  # malformed, or absurdly nested hostile bodies
        return None
    return reply if isinstance(reply, dict) else None


def _message_of(reply: dict) -> str | None:
    data = reply.get("data")
    message = data.get("message") if isinstance(data, dict) else reply.get("message")
    return message if isinstance(message, str) else None


def _fail(status: CensusStatus, reason: str, raw: str, source: str) -> LookupResult:
    return LookupResult.failure(status, source, reason, raw)
