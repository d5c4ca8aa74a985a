"""How every `censo` command fails: a usage error is one line on stderr and exit 2; Kafka or a
database out of reach (or Kafka refusing our TLS/SASL login) is one line and exit 1; settings the
environment got wrong are one line and exit 2; never a traceback for any.

Build a Typer app with `typer.Typer(cls=OneLineErrors, …)` (the root `censo` app has it, so every
subcommand gets it; Typer runs an app of one command without its group class, so give a lone
command a callback). A command signals a usage error by raising `UsageError("…")`, or
`typer.BadParameter("…", param_hint="'--to'")` for one option, from its body (even inside
`asyncio.run`). A long command run with `graceful.run_stoppable` and stopped by SIGTERM or Ctrl-C
says so in one line and exits 143 or 130. Any other exception is a bug and keeps its traceback."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import asyncpg
import typer
from aiokafka.errors import (
    KafkaConnectionError,
    KafkaTimeoutError,
    NodeNotReadyError,
    RequestTimedOutError,
)
from sqlalchemy.exc import InterfaceError, OperationalError
from typer.core import TyperGroup

from services.common.db import DatabaseUnavailable, SchemaNotCurrent
from services.common.graceful import Stopped
from services.common.kafka import KafkaUnavailable
from services.common.kafka_security import KafkaRefused
from services.common.kafka_topics import TopicsNotCreated
from services.common.settings_errors import settings_problem

USAGE_ERROR = 2
UNREACHABLE = 1
MAX_LINE_CHARS = 300

_KAFKA_DOWN = (
    KafkaConnectionError,
    KafkaTimeoutError,
    NodeNotReadyError,
    RequestTimedOutError,
    KafkaUnavailable,
)
_DATABASE_DOWN = (
    OperationalError,
    InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.InvalidCatalogNameError,  # the database named in the URL does not exist
    asyncpg.InvalidAuthorizationSpecificationError,  # wrong user or password
    DatabaseUnavailable,
)


class UsageError(typer.TyperException):
    """The command line asks for something that cannot be (an unknown group, a bad value)."""

    exit_code = USAGE_ERROR


def database_failure(exc: BaseException) -> BaseException | None:
    """What in `exc` (or what it wraps) says a database did not answer, or None."""
    return next((cause for cause in _causes(exc) if isinstance(cause, _DATABASE_DOWN)), None)


def unreachable_message(exc: BaseException) -> str | None:
    """One line saying what did not answer, or None when `exc` is not such a failure."""
    for cause in _causes(exc):
        if isinstance(cause, KafkaRefused | TopicsNotCreated | SchemaNotCurrent):  # say it all
            return one_line(cause)
        if isinstance(cause, _KAFKA_DOWN):
            return f"Kafka out of reach: {one_line(cause)}"
        if isinstance(cause, _DATABASE_DOWN):
            return f"database out of reach: {one_line(cause)}"
        if isinstance(cause, OSError):  # refused, reset, unknown host, timed out
            return f"connection failed: {one_line(cause)}"
    return None


def _causes(exc: BaseException, depth: int = 0) -> Iterator[BaseException]:
    """`exc`, then what it wraps: a group's members, SQLAlchemy's `orig`, the `raise … from`."""
    if depth > 5:
        return
    yield exc
    if isinstance(exc, BaseExceptionGroup):
        for member in exc.exceptions:
            yield from _causes(member, depth + 1)
    for inner in (getattr(exc, "orig", None), exc.__cause__):
        if isinstance(inner, BaseException):
            yield from _causes(inner, depth + 1)


def one_line(exc: BaseException) -> str:
    detail = " ".join(str(exc).split()) or type(exc).__name__
    return detail[:MAX_LINE_CHARS]


def say(where: str, message: str, hint: str = "") -> None:
    """Print `where: message` (whitespace folded, cut to one screen line or so) on stderr."""
    typer.echo(f"{where}: {' '.join(message.split())[:MAX_LINE_CHARS]}{hint}", err=True)


class OneLineErrors(TyperGroup):
    """A Typer group (give it to the root app) whose failures read as described above."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:  # the caller handles errors itself
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        program = prog_name or os.path.basename(sys.argv[0]) or "censo"
        try:
            outcome = super().main(
                args, prog_name, complete_var, False, windows_expand_args, **extra
            )
        except typer.TyperException as exc:  # click's errors (Typer vendors click) and ours
            # Typer prints the help as it raises this one; it tells it apart by name, as here.
            if type(exc).__name__ != "NoArgsIsHelpError":
                _say_usage_error(exc, program)
            sys.exit(exc.exit_code)
        except typer.Abort:
            say(program, "aborted")
            sys.exit(1)
        except Stopped as stopped:
            say(program, str(stopped))
            sys.exit(stopped.exit_code)
        except Exception as exc:
            problem = settings_problem(exc)  # the environment's mistake, exit 2 like a usage error
            if problem is not None:
                say(program, problem)
                sys.exit(USAGE_ERROR)
            message = unreachable_message(exc)
            if message is None:
                raise
            say(program, message)
            sys.exit(UNREACHABLE)
        # Not standalone, click returns an Exit's code, else the command's return value (None).
        sys.exit(outcome if isinstance(outcome, int) else 0)


def _say_usage_error(exc: typer.TyperException, program: str) -> None:
    ctx = getattr(exc, "ctx", None)  # click's usage errors know the command they were about
    where = getattr(ctx, "command_path", None) or program
    say(where, exc.format_message(), " (see --help)" if exc.exit_code == USAGE_ERROR else "")
