"""Logging configured as a service configures it at start-up, its output caught in a buffer."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import structlog

from services.common.logging import configure_logging
from services.common.settings import LoggingSettings

JsonLines = Callable[[], list[dict[str, Any]]]
TOUCHED = ("aiokafka", "httpx", "faststream", "uvicorn", "uvicorn.error", "uvicorn.access")


@pytest.fixture
def json_lines() -> Iterator[JsonLines]:
    """Production logging (JSON) for the service `census-worker`; call it for the lines so far.
    Everything configure_logging changes is put back afterwards."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level, {name: _state(name) for name in TOUCHED}
    configure_logging(LoggingSettings(level="INFO", json_output=True), service="census-worker")
    buffer = io.StringIO()
    root.handlers[0].setStream(buffer)  # type: ignore[attr-defined]
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    for name, (level, handlers, propagate) in saved[2].items():
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.handlers[:], logger.propagate = handlers, propagate
    structlog.reset_defaults()


def _state(name: str) -> tuple[int, list[logging.Handler], bool]:
    logger = logging.getLogger(name)
    return logger.level, logger.handlers[:], logger.propagate
