"""Hostile replies of about 1 MB (the site, or whatever stands in its place, can send anything):
each classifier answers quickly, whatever the body repeats. A pattern that backtracks per match
(`<[^>]*>` on "<<<<…", `X.*Y` on "XXXX…") takes minutes on such bodies instead of milliseconds."""

from __future__ import annotations

import json
import time

import pytest

from schemas.census import CensusStatus
from services.census_worker.lookup.consultacenso.classify import classify_consultacenso
from services.census_worker.lookup.replies.reading import MAX_MESSAGE_CHARS
from services.census_worker.lookup.wsp.classify import classify_reply

MEGABYTE = 1_000_000
# Generous: the linear patterns take tens of milliseconds here; the quadratic ones took minutes.
BOUND_S = 3.0


def wsp_message(text: str) -> str:
    return json.dumps({"success": False, "data": {"message": text}})


# The messages are cut just under the size the classifier still reads (bigger ones are refused
# unread), the raw bodies at about 1 MB.
HOSTILE = {
    "open_tags": "<" * (MAX_MESSAGE_CHARS - 1),
    "curl_errors": "CURL ERROR " * ((MAX_MESSAGE_CHARS - 1) // 11),
    "not_found_prefixes": "NO SE ENCUENTRA " * ((MAX_MESSAGE_CHARS - 1) // 16),
    "spaces_after_se": "se" + " " * (MAX_MESSAGE_CHARS - 3),
    "resolucion_digits": "RESOLUCION " + "1-" * ((MAX_MESSAGE_CHARS - 20) // 2) + "/",
    "entities": "&amp;" * ((MAX_MESSAGE_CHARS - 1) // 5),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_wsp_reply_is_classified_in_bounded_time(name: str) -> None:
    bodies = [wsp_message(HOSTILE[name]), HOSTILE[name] * (MEGABYTE // len(HOSTILE[name]) + 1)]
    for body in bodies:
        started = time.perf_counter()
        result = classify_reply(body, source="wsp", http_status=200)
        assert time.perf_counter() - started < BOUND_S
        assert getattr(result, "status", None) in (None, *CensusStatus)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_consultacenso_reply_is_classified_in_bounded_time(name: str) -> None:
    text = HOSTILE[name]
    bodies = [
        json.dumps({"ok": False, "mensaje": text}),
        json.dumps({"ok": True, "data": {"novedad": text, "resolucion": text}}),
        text * (MEGABYTE // len(text) + 1),
    ]
    for body in bodies:
        started = time.perf_counter()
        result = classify_consultacenso(body, source="consultacenso", http_status=200)
        assert time.perf_counter() - started < BOUND_S
        assert result.status in CensusStatus
