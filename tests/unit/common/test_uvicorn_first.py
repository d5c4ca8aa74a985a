"""Logging configured after uvicorn configured its own (a server started in-process earlier)."""

from __future__ import annotations

import logging
import logging.config
from collections.abc import Iterator

import pytest
import uvicorn.config

from tests.unit.common.conftest import JsonLines


@pytest.fixture
def uvicorn_configured_first() -> Iterator[None]:
    names = ("uvicorn", "uvicorn.error", "uvicorn.access")
    saved = {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).propagate) for n in names}
    logging.config.dictConfig(uvicorn.config.LOGGING_CONFIG)
    yield
    for name, (handlers, propagate) in saved.items():
        logging.getLogger(name).handlers[:], logging.getLogger(name).propagate = handlers, propagate


def test_uvicorn_lines_reach_the_one_format_even_after_uvicorn_set_up_its_own(
    uvicorn_configured_first: None, json_lines: JsonLines
) -> None:
    logging.getLogger("uvicorn.access").info('%s - "%s %s"', "127.0.0.1:1", "GET", "/salud")
    logging.getLogger("uvicorn.error").info("Application startup complete.")

    assert [(line["logger"], line["service"]) for line in json_lines()] == [
        ("uvicorn.access", "census-worker"),
        ("uvicorn.error", "census-worker"),
    ]
