"""What every site's reply classifier shares: decoding the body, parsing its JSON, recognising the
F5 firewall page, the failures a reply shows before its own fields are read, and the guarantee
that a classifier answers instead of raising."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

import structlog

from schemas.census import CensusStatus
from services.census_worker.domain.model import LookupResult, clip_raw
from services.census_worker.lookup.replies.text import without_cedulas

log = structlog.get_logger(__name__)
T = TypeVar("T")

MAX_MESSAGE_CHARS = 200_000  # the real answer is ~1.5 kB; anything huge is not an answer
GATEWAY_TIMEOUTS = frozenset({408, 504})
_FIREWALL = re.compile(
    r"se\s+present(?:ó|o|&oacute;|&#243;|&#xf3;|\\u00f3)\s+un\s+evento\s+de\s+seguridad"
    r"|the\s+requested\s+url\s+was\s+rejected",
    re.IGNORECASE,
)


def never_raising(
    classify: Callable[[str, str, int | None, str | None], T],
    body: str | bytes | None,
    source: str,
    http_status: int | None,
    cedula: str | None,
) -> T | LookupResult:
    """Run a classifier on the decoded body; a parser bug becomes an unrecognised ERROR (it counts
    toward the host's circuit), never a crash."""
    try:
        return classify(decode_body(body), source, http_status, cedula)
    except Exception as exc:
        log.exception("census_reply_unclassifiable", source=source, http_status=http_status)
        reason = f"unclassifiable reply ({type(exc).__name__})"
        return LookupResult.unrecognised(source, reason, clip_raw(body))


def answered_ok(http_status: int | None) -> bool:
    """The host said it answered (no HTTP error): a reply nobody recognises then means the page
    changed, not that the host failed for a moment."""
    return http_status is None or http_status < 400


def decode_body(body: str | bytes | None) -> str:
    if body is None or isinstance(body, str):
        return body or ""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


def is_firewall_page(text: str) -> bool:
    """The F5 block page ("se presentó un evento de seguridad"), whatever its markup."""
    return _FIREWALL.search(text) is not None


def parse_json_object(text: str) -> dict[str, Any] | None:
    try:
        reply = json.loads(text)
    except (ValueError, RecursionError):  # malformed, or absurdly nested hostile bodies
        return None
    return reply if isinstance(reply, dict) else None


def failed(status: CensusStatus, reason: str, raw: str, source: str) -> LookupResult:
    """A failure whose reason never carries a cédula (reasons are logged and shown to admins)."""
    return LookupResult.failure(status, source, without_cedulas(reason), raw)


def screened(
    raw: str, source: str, http_status: int | None, max_chars: int | None = None
) -> LookupResult | dict[str, Any]:
    """The reply's JSON object, or what it is before any variant's fields are read: empty, the
    firewall's page, longer than `max_chars`, or not a JSON object (unrecognised when the host
    said it answered: its page changed; a timeout or error when it said it failed)."""
    note = f" (HTTP {http_status})" if http_status is not None else ""
    if not raw.strip():
        return failed(CensusStatus.ERROR, f"empty reply{note}", raw, source)
    if is_firewall_page(raw):
        reason = f"firewall page: se presentó un evento de seguridad{note}"
        return failed(CensusStatus.BLOCKED, reason, raw, source)
    if max_chars is not None and len(raw) > max_chars:
        return failed(CensusStatus.ERROR, f"reply too large ({len(raw)} chars)", raw, source)
    parsed = parse_json_object(raw)
    if parsed is not None:
        return parsed
    reason = f"reply is not a JSON object{note}"
    if answered_ok(http_status):
        return LookupResult.unrecognised(source, reason, raw)
    status = CensusStatus.TIMEOUT if http_status in GATEWAY_TIMEOUTS else CensusStatus.ERROR
    return failed(status, reason, raw, source)
