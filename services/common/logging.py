"""One log format for every service: our structlog lines and the standard library's (uvicorn,
FastStream, aiokafka) go through one structlog pipeline, console in development and JSON lines in
production; each line names its service and carries the ids bound while a message or request is
handled (`bound_context`; the middlewares that bind them are in `log_context.py`)."""

from __future__ import annotations

import contextlib
import logging
import re
import sys
from collections.abc import Iterator, Mapping

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

from services.common.kafka_log_noise import RebalanceNoise
from services.common.settings import LoggingSettings

# The envelope headers (`schemas.envelope.Event.headers`) and the log field each becomes.
ENVELOPE_FIELDS = {"ce_id": "event_id", "ce_type": "event_type", "correlation_id": "correlation_id"}
# What FastStream passes as `extra` with its "Received" / "Processed" lines.
FASTSTREAM_FIELDS = ("topic", "group_id", "message_id")
# A number shaped like a cédula (6 to 10 digits) in a library's message, and a request's query
# string (the search box holds names and cédulas) in uvicorn's access lines.
_CEDULA_SHAPED = re.compile(r"(?<![\w.-])[1-9][0-9]{5,9}(?![\w-])")
_QUERY_VALUE = re.compile(r"(?<=[?&])([^=&\s\"]*)=[^&\s\"]*")
# A password-reset link's token, in a request line or a logged path: whoever reads it could use it.
_RESET_TOKEN = re.compile(r"(?<=/restablecer/)[^\s\"?/]+")


UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


def configure_logging(settings: LoggingSettings, service: str = "censo") -> None:
    """Route structlog and stdlib logging through one handler on the root logger, once per process
    (calling it again, to name the process more precisely, replaces the previous setup)."""
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact_reset_tokens,
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler()
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[
                *shared,
                structlog.stdlib.ExtraAdder(FASTSTREAM_FIELDS),
                redact_personal_data,
            ],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                _naming(service),
                *_renderers(settings.json_output),
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.level.upper())
    handler.addFilter(RebalanceNoise(root.level))
    for name in UVICORN_LOGGERS:  # whatever uvicorn configured before: its lines come here too
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate, uvicorn_logger.disabled = True, False
        uvicorn_logger.setLevel(logging.NOTSET)  # the root's level decides, as for every library
    logging.getLogger("aiokafka").setLevel(max(root.level, logging.WARNING))
    # httpx logs every request URL at INFO; the captcha API carries its key in the query string.
    logging.getLogger("httpx").setLevel(max(root.level, logging.WARNING))


def _renderers(json_output: bool) -> list[Processor]:
    # Tracebacks without local variables: those hold cédulas, passwords and tokens.
    if json_output:
        return [
            structlog.processors.ExceptionRenderer(
                structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
            ),
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ]
    terminal = sys.stderr.isatty()
    return [
        structlog.dev.ConsoleRenderer(
            colors=terminal,
            exception_formatter=(
                structlog.dev.RichTracebackFormatter(show_locals=False)
                if terminal
                else structlog.dev.plain_traceback
            ),
        )
    ]


def _naming(service: str) -> Processor:
    def add_service(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
        event_dict["service"] = service
        return event_dict

    return add_service


def redact_personal_data(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """Libraries never heard of cédulas: mask what looks like one in their messages, and the
    values of the query string in a request line."""
    event = event_dict.get("event")
    if isinstance(event, str):
        if event_dict.get("logger") == "uvicorn.access":
            event = _QUERY_VALUE.sub(r"\1=…", event)
        event_dict["event"] = _CEDULA_SHAPED.sub(lambda found: mask_cedula(found[0]), event)
    return event_dict


def redact_reset_tokens(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """A reset link's token in any line (a request line, a logged path): it opens an account."""
    for key in ("event", "path"):
        if isinstance(value := event_dict.get(key), str) and "/restablecer/" in value:
            event_dict[key] = _RESET_TOKEN.sub("…", value)
    return event_dict


def faststream_logger() -> logging.Logger:
    """FastStream's logger, for `KafkaBroker(logger=…)`: FastStream gives it a handler of its own
    and stops it propagating when imported, and a broker left alone logs through another logger
    set up that way; this one is handed back propagating, so its lines reach the root handler."""
    logger = logging.getLogger("faststream")
    logger.handlers.clear()
    logger.propagate = True
    logger.setLevel(logging.NOTSET)
    return logger


@contextlib.contextmanager
def bound_context(**ids: object) -> Iterator[None]:
    """Add `ids` (those not None, as text) to every line logged inside the block, also by the tasks
    it starts; the values bound before come back on exit."""
    present = {name: str(value) for name, value in ids.items() if value is not None}
    with structlog.contextvars.bound_contextvars(**present):
        yield


def envelope_ids(headers: Mapping[str, str]) -> dict[str, str]:
    """The log fields found in an event's headers: event id, event type, correlation id."""
    return {field: headers[name] for name, field in ENVELOPE_FIELDS.items() if name in headers}


def record_ids(record: object) -> dict[str, str]:
    """`envelope_ids` of a Kafka ConsumerRecord (a batch, a tuple of records, has none)."""
    pairs = getattr(record, "headers", None) or ()
    return envelope_ids({name: value.decode(errors="replace") for name, value in pairs if value})


def mask_cedula(cedula: str | None) -> str:
    """Keep the last three digits only: enough to correlate, not enough to identify."""
    if not cedula:
        return "-"
    return "*" * max(len(cedula) - 3, 0) + cedula[-3:]
