"""One log format: our lines and the libraries' (stdlib, uvicorn, aiokafka) as JSON lines with
the service and level, ids bound only inside their scope, rebalancing noise once at INFO, and
no cédula in the clear."""

from __future__ import annotations

import logging

import structlog

from services.common.logging import bound_context, envelope_ids, mask_cedula, record_ids
from tests.support.events import record, user_registered
from tests.unit.common.conftest import JsonLines

CEDULA = "1102812122"
HEARTBEAT = "Heartbeat failed for group %s because it is rebalancing"
COORDINATOR = "aiokafka.consumer.group_coordinator"


def test_library_records_become_json_lines_with_service_and_level(json_lines: JsonLines) -> None:
    logging.getLogger("censo.somewhere").warning("disk at %d%%", 91)
    logging.getLogger("uvicorn.error").info(
        "Started server process [%d]", 4321, extra={"color_message": "in colour"}
    )
    logging.getLogger("aiokafka.consumer.fetcher").error("Failed fetch messages from %s", 1)
    structlog.get_logger("services.test").info("census.answered", attempt=1)

    lines = json_lines()
    assert [(line["logger"], line["level"], line["event"]) for line in lines] == [
        ("censo.somewhere", "warning", "disk at 91%"),
        ("uvicorn.error", "info", "Started server process [4321]"),
        ("aiokafka.consumer.fetcher", "error", "Failed fetch messages from 1"),
        ("services.test", "info", "census.answered"),
    ]
    assert {line["service"] for line in lines} == {"census-worker"}
    assert all("timestamp" in line for line in lines)
    assert "color_message" not in lines[1]


def test_ids_are_on_the_lines_logged_inside_the_scope_only(json_lines: JsonLines) -> None:
    log = structlog.get_logger("services.test")
    headers = {"ce_id": "e-1", "ce_type": "UserRegistered", "correlation_id": "c-1", "x": "y"}
    with bound_context(**envelope_ids(headers), request_id=None):
        log.info("inside")
        logging.getLogger("uvicorn.error").info("library line inside")
    log.info("after")

    inside, library, after = json_lines()
    ids = {"event_id": "e-1", "event_type": "UserRegistered", "correlation_id": "c-1"}
    assert inside.items() >= ids.items() and library.items() >= ids.items()
    assert "request_id" not in inside  # None is left out
    assert not after.keys() & ids.keys()


def test_rebalancing_warnings_are_logged_once_at_info(json_lines: JsonLines) -> None:
    coordinator = logging.getLogger(COORDINATOR)
    for _ in range(5):
        coordinator.warning(HEARTBEAT, "census-worker")
    coordinator.error(
        "OffsetCommit failed for group %s due to group error (%s), will rejoin", "g", "x"
    )
    coordinator.warning(HEARTBEAT, "web-projector")  # another group: its own first line
    coordinator.warning("Heartbeat failed: %r", "something else")  # not a rebalance: kept

    lines = [(line["level"], line["event"]) for line in json_lines()]
    assert lines == [
        ("info", "Heartbeat failed for group census-worker because it is rebalancing"),
        ("info", "OffsetCommit failed for group g due to group error (x), will rejoin"),
        ("info", "Heartbeat failed for group web-projector because it is rebalancing"),
        ("warning", "Heartbeat failed: 'something else'"),
    ]


def test_no_cedula_in_the_clear(json_lines: JsonLines) -> None:
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d',
        "127.0.0.1:50123",
        "GET",
        f"/referidos?q={CEDULA}&page=2",
        "1.1",
        200,
    )
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d',
        "127.0.0.1:50123",
        "GET",
        "/referidos?q=Ana+P%C3%A9rez",
        "1.1",
        200,
    )
    logging.getLogger("asyncpg").warning("duplicate key: (cedula)=(%s)", CEDULA)
    structlog.get_logger("services.test").info("login.failed", cedula=mask_cedula(CEDULA))

    search, by_name, library, ours = json_lines()
    assert search["event"] == '127.0.0.1:50123 - "GET /referidos?q=…&page=… HTTP/1.1" 200'
    assert "Ana" not in by_name["event"]
    assert library["event"] == f"duplicate key: (cedula)=({mask_cedula(CEDULA)})"
    assert ours["cedula"] == "*******122"
    assert all(CEDULA not in str(line) for line in (search, by_name, library, ours))


def test_numbers_that_are_not_cedula_shaped_stay(json_lines: JsonLines) -> None:
    logging.getLogger("aiokafka").warning(
        "node %s at 127.0.0.1:19092, request 1a2b3c4d-1234-4567-8910-111213141516", 12345
    )
    assert json_lines()[0]["event"] == (
        "node 12345 at 127.0.0.1:19092, request 1a2b3c4d-1234-4567-8910-111213141516"
    )


def test_record_ids_read_the_envelope_headers_of_a_consumer_record() -> None:
    event = user_registered()
    expected = {
        "event_id": str(event.event_id),
        "event_type": "UserRegistered",
        "correlation_id": str(event.correlation_id),
    }
    assert record_ids(record(event)) == expected
    assert record_ids((record(event), record(event))) == {}  # a batch binds nothing


def test_no_reset_link_token_in_a_request_line_or_a_logged_path(json_lines: JsonLines) -> None:
    token = "mE0x7Yk2_Q-9tqVn3cJ8bR1sW5uZ4aLdHfGpKoXyT6I"
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1:50123", "POST", f"/restablecer/{token}", "1.1", 200
    )
    structlog.get_logger("services.test").error("web.unhandled_error", path=f"/restablecer/{token}")

    access, ours = json_lines()
    assert access["event"] == '127.0.0.1:50123 - "POST /restablecer/… HTTP/1.1" 200'
    assert ours["path"] == "/restablecer/…"
