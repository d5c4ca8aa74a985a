"""`censo web serve` logs a failed start-up as its error line, not as Litestar's traceback."""

from __future__ import annotations

import logging

from services.web.cli import OneLineStartupFailure

LITESTAR_STARTUP_FAILURE = """  + Exception Group Traceback (most recent call last):
  |   File "litestar/_asgi/asgi_router.py", line 195, in lifespan
  |     async with self.app.lifespan():
  | ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)
  +-+---------------- 1 ----------------
    | Traceback (most recent call last):
    |   File "services/common/db.py", line 38, in wait_for_database
    |     async with engine.connect() as conn:
    | ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 1)
    |
    | The above exception was the direct cause of the following exception:
    |
    | Traceback (most recent call last):
    | services.common.db.DatabaseUnavailable: database did not answer in 60 s: refused
    +------------------------------------
"""


def logged(message: str) -> str:
    record = logging.LogRecord("uvicorn.error", logging.ERROR, "on.py", 1, message, (), None)
    assert OneLineStartupFailure().filter(record)
    return record.getMessage()


def test_a_failed_start_up_is_logged_as_its_last_error_line() -> None:
    assert logged(LITESTAR_STARTUP_FAILURE) == (
        "services.common.db.DatabaseUnavailable: database did not answer in 60 s: refused"
    )


def test_other_lines_pass_unchanged() -> None:
    assert logged("Application startup failed. Exiting.") == "Application startup failed. Exiting."
