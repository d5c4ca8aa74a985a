"""Logging configured after uvicorn configured its own (a server started in-process earlier)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import uvicorn.config

from tests.unit.common.conftest import JsonLines


@pytest.fixture
def uvicorn_configured_first() -> Iterator[None]:
    """What an in-process `uvicorn.Config(..., log_level="warning")` leaves behind: uvicorn's
    own handlers, no propagation, and its loggers at WARNING."""
    loggers = [logging.getLogger(n) for n in ("uvicorn", "uvicorn.error", "uvicorn.access")]
    saved = [(lg.handlers[:], lg.propagate, lg.level) for lg in loggers]
    uvicorn.config.Config(app=_no_app, log_level="warning")
    yield
    for lg, (handlers, propagate, level) in zip(loggers, saved, strict=True):
        lg.handlers[:], lg.propagate = handlers, propagate
        lg.setLevel(level)


async def _no_app(scope: object, receive: object, send: object) -> None:
    raise AssertionError("never served")


def test_uvicorn_lines_reach_the_one_format_even_after_uvicorn_set_up_its_own(
    uvicorn_configured_first: None, json_lines: JsonLines
) -> None:
    logging.getLogger("uvicorn.access").info('%s - "%s %s"', "127.0.0.1:1", "GET", "/salud")
    logging.getLogger("uvicorn.error").info("Application startup complete.")

    assert [(line["logger"], line["service"]) for line in json_lines()] == [
        ("uvicorn.access", "census-worker"),
        ("uvicorn.error", "census-worker"),
    ]
