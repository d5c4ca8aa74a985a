"""What every registration command shares: its settings (with logging configured) and the rule
that an unreachable database ends it with one line and exit code 1 (`USAGE_ERROR`, 2: bad input)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from services.registration.settings import RegistrationSettings

USAGE_ERROR = 2  # as click's own usage errors


def command_settings(service: str = "registration") -> RegistrationSettings:
    from services.common.logging import configure_logging
    from services.registration.settings import RegistrationSettings

    settings = RegistrationSettings()
    configure_logging(settings.logging, service=service)
    return settings


@contextlib.contextmanager
def database_reachable(settings: RegistrationSettings) -> Iterator[None]:
    """An unreachable database ends the command with one line and exit code 1, not a traceback:
    the shared rule of `services/common/cli_errors.py`, naming which database."""
    from sqlalchemy.engine import make_url

    from services.common.cli_errors import UNREACHABLE, database_failure, one_line

    try:
        yield
    except Exception as exc:
        cause = database_failure(exc) or (exc if isinstance(exc, OSError) else None)
        if cause is None:
            raise
        url = make_url(settings.database_url)  # named without its password
        where = f"{url.host}:{url.port}/{url.database}"
        typer.echo(f"registration database {where} out of reach: {one_line(cause)}", err=True)
        raise typer.Exit(UNREACHABLE) from None
