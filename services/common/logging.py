"""Structured logging for every service (structlog over the standard library)."""

from __future__ import annotations

import logging
import sys

import structlog

from services.common.settings import LoggingSettings


def configure_logging(settings: LoggingSettings) -> None:
    """Route structlog and stdlib logging through one renderer, once per process."""
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    terminal = sys.stderr.isatty()
    # Tracebacks without local variables: those hold cédulas, passwords and tokens.
    renderers = (
        [
            structlog.processors.ExceptionRenderer(
                structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
            ),
            structlog.processors.JSONRenderer(),
        ]
        if settings.json_output
        else [
            structlog.dev.ConsoleRenderer(
                colors=terminal,
                exception_formatter=(
                    structlog.dev.RichTracebackFormatter(show_locals=False)
                    if terminal
                    else structlog.dev.plain_traceback
                ),
            )
        ]
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler()
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *renderers],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.level.upper())
    logging.getLogger("aiokafka").setLevel(max(root.level, logging.WARNING))
    # httpx logs every request URL at INFO; the captcha API carries its key in the query string.
    logging.getLogger("httpx").setLevel(max(root.level, logging.WARNING))


def mask_cedula(cedula: str | None) -> str:
    """Keep the last three digits only: enough to correlate, not enough to identify."""
    if not cedula:
        return "-"
    return "*" * max(len(cedula) - 3, 0) + cedula[-3:]
