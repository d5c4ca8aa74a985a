"""What every site's reply classifier shares: decoding the body, parsing its JSON, recognising the
F5 firewall page, and the guarantee that a classifier answers instead of raising."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

import structlog

from services.census_worker.domain.model import LookupResult, clip_raw

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
