"""The site's messages row by row (contract table), and hostile replies of every kind."""

from __future__ import annotations

import json
import os

import pytest

from schemas.census import CensusStatus
from schemas.events import MAX_RAW_RESPONSE_CHARS
from services.census_worker.lookup.wsp.classify import ReloadRequested, classify_reply
from tests.unit.census_worker.replies import (
    CAPTCHA_MESSAGE,
    FIREWALL_PAGE,
    FOUND_HTML,
    NOT_FOUND_MESSAGES,
    UPSTREAM_TIMEOUT_MESSAGE,
    classify,
    reply,
    table,
)


@pytest.mark.parametrize("message", NOT_FOUND_MESSAGES)
@pytest.mark.parametrize("success", [True, False])
def test_not_in_census_variants_are_not_found(message: str, success: bool) -> None:
    result = classify(reply(message, success=success))

    assert result.status is CensusStatus.NOT_FOUND
    assert result.raw_response is None and result.reason is None


def test_not_in_census_wrapped_in_markup_and_upper_case_is_not_found() -> None:
    message = "<p>EL DOCUMENTO CONSULTADO <b>NO SE ENCUENTRA</b> EN EL CENSO PARA ESTA ELECCIÓN</p>"

    assert classify(reply(message)).status is CensusStatus.NOT_FOUND


@pytest.mark.parametrize(
    "message",
    [
        CAPTCHA_MESSAGE,
        "Marque el cuadro de verificación (Captcha: No soy un robot)",
        "MARQUE EL CUADRO DE VERIFICACION",
    ],
)
def test_captcha_message_is_blocked(message: str) -> None:
    result = classify(reply(message, success=False))

    assert result.status is CensusStatus.BLOCKED
    assert "captcha" in (result.reason or "")
    assert result.raw_response == reply(message, success=False)


@pytest.mark.parametrize("http_status", [200, 500, 403])
def test_firewall_page_is_blocked_whatever_the_http_status(http_status: int) -> None:
    result = classify(FIREWALL_PAGE, http_status=http_status)

    assert result.status is CensusStatus.BLOCKED
    assert "firewall" in (result.reason or "")
    assert result.raw_response == FIREWALL_PAGE


def test_firewall_page_with_html_entities_is_blocked() -> None:
    page = "<p>Se present&oacute; un evento de seguridad</p>"

    assert classify(page, http_status=500).status is CensusStatus.BLOCKED


def test_upstream_curl_timeout_is_timeout() -> None:
    result = classify(reply(UPSTREAM_TIMEOUT_MESSAGE, success=False))

    assert result.status is CensusStatus.TIMEOUT
    assert "15008" in (result.reason or "")


def test_other_curl_errors_are_errors() -> None:
    message = "Curl error: Could not resolve host: censo.internal"

    assert classify(reply(message, success=False)).status is CensusStatus.ERROR


@pytest.mark.parametrize(
    "body",
    [
        '{"success": false, "reload": true}',
        '{"success": false, "reload": true, "data": {"message": "x"}}',
    ],
)
def test_reload_is_a_distinct_signal(body: str) -> None:
    assert classify_reply(body, source="wsp") == ReloadRequested(raw_response=body)


def test_unknown_message_is_an_error_keeping_the_body() -> None:
    body = reply("Servicio en mantenimiento", success=False)
    result = classify(body)

    assert result.status is CensusStatus.ERROR
    assert "mantenimiento" in (result.reason or "").lower()
    assert result.raw_response == body


@pytest.mark.parametrize(
    "body",
    [
        "",
        "   ",
        None,
        b"",
        "{not json",
        "[1, 2]",
        '"text"',
        "null",
        '{"success": true}',
        '{"success": true, "data": {"message": 42}}',
        '{"success": true, "data": []}',
        "<html><body>Internal Server Error</body></html>",
        "[" * 100_000,
    ],
)
def test_malformed_replies_are_errors(body: str | bytes | None) -> None:
    result = classify(body, http_status=200)

    assert result.status is CensusStatus.ERROR
    assert result.reason


def test_gateway_timeout_page_is_timeout() -> None:
    assert classify("<html>504 Gateway Time-out</html>", http_status=504).status is (
        CensusStatus.TIMEOUT
    )


def test_binary_junk_is_an_error_with_printable_raw_response() -> None:
    junk = os.urandom(4096) + b"\x00\xff\xfe"
    result = classify(junk)

    assert result.status is CensusStatus.ERROR
    assert result.raw_response is not None and "\x00" not in result.raw_response


def test_five_megabyte_body_is_an_error_with_capped_raw_response() -> None:
    message = FOUND_HTML + "<p>" + "x" * 5_000_000 + "</p>"
    result = classify(json.dumps({"success": True, "data": {"message": message}}))

    assert result.status is CensusStatus.ERROR
    assert result.raw_response is not None
    assert len(result.raw_response) == MAX_RAW_RESPONSE_CHARS


def test_five_megabyte_non_json_body_is_an_error_with_capped_raw_response() -> None:
    result = classify("<html>" + "a" * 5_000_000)

    assert result.status is CensusStatus.ERROR
    assert len(result.raw_response or "") == MAX_RAW_RESPONSE_CHARS


def test_success_true_table_without_any_known_header_is_an_error() -> None:
    result = classify(reply(table(["FOO", "BAR"], ["1", "2"])))

    assert result.status is CensusStatus.ERROR
    assert "FOO" in (result.reason or "")


def test_failure_results_are_not_final_and_answers_are() -> None:
    assert classify(reply(FOUND_HTML)).status.is_final
    assert classify(FIREWALL_PAGE).status.is_failure
