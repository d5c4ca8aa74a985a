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
    MAX_MESSAGE_CHARS,
    failed,
    never_raising,
    screened,
)
from services.census_worker.lookup.replies.text import fold
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
    reply = screened(text, source, http_status)
    if isinstance(reply, LookupResult):
        return reply
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
        return failed(
            CensusStatus.ERROR, f"reply message too large ({len(message)} chars)", text, source
        )
    if reply.get("success") is True and has_table(message):
        return result_from_table(message, source=source, cedula=cedula)
    words = fold(_TAGS.sub(" ", message))
    if _NOT_FOUND.search(words):
        return LookupResult(status=CensusStatus.NOT_FOUND, source=source)
    if _CAPTCHA.search(words):
        return failed(
            CensusStatus.BLOCKED, f"captcha refused by the site: {words[:200]}", text, source
        )
    if _upstream_timed_out(words):
        return failed(
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
