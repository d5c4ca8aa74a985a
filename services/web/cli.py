"""`censo web …`: serve the dashboard and run the projector; migrate the read model."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import socket
from typing import Annotated

import typer
import uvicorn
from litestar import Litestar
from uvicorn.config import STARTUP_FAILURE

from services.web.settings import WebSettings

app = typer.Typer(help="Web service (query side).", no_args_is_help=True)
GRACEFUL_SHUTDOWN_S = 10


class WebServer(uvicorn.Server):
    """Ends the live-update streams first when asked to stop: uvicorn waits for open responses
    to finish, and a browser's stream never would."""

    def __init__(self, config: uvicorn.Config, web_app: Litestar) -> None:
        super().__init__(config)
        self._web_app = web_app

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        from services.web.bootstrap import web_services  # as create_app: not at CLI start-up

        with contextlib.suppress(LookupError):  # not started: no stream is open
            web_services(self._web_app.state).hub.close()
        await super().shutdown(sockets)


class OneLineStartupFailure(logging.Filter):
    """Litestar hands uvicorn a failed start-up (database or Kafka out of reach) as a formatted
    traceback, which uvicorn logs as is; keep its last `Error: message` line, the error itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if "Traceback (most recent call last)" in text:
            errors = [m.group(1) for m in map(_ERROR_LINE.match, text.splitlines()) if m]
            record.msg, record.args = (errors[-1] if errors else "start-up failed"), ()
        return True


_ERROR_LINE = re.compile(r"^[\s|]*([\w.]+: .*)$")  # "  | services.common.db.DatabaseUnavailable: …"


@app.command()
def serve() -> None:
    """Serve the web app (with its projector) on WEB_HOST:WEB_PORT."""
    from services.web.app import create_app

    settings = WebSettings()
    web_app = create_app(settings)
    config = uvicorn.Config(
        web_app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        proxy_headers=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )
    logging.getLogger("uvicorn.error").addFilter(OneLineStartupFailure())
    try:
        WebServer(config, web_app).run()
    except SystemExit as exc:  # uvicorn's own status for a failed start-up is 3; ours is 1
        if exc.code != STARTUP_FAILURE:
            raise
        raise typer.Exit(1) from None


Revision = Annotated[
    str,
    typer.Argument(
        metavar="REVISION",
        help="Alembic revision to reach: `head` (the newest) or a revision id such as 0007.",
    ),
]


@app.command(epilog="Examples: censo web migrate · censo web migrate 0006")
def migrate(revision: Revision = "head") -> None:
    """Migrate the read model (production runs this before starting the web processes; several
    at once take turns under an advisory lock)."""
    from alembic.util import CommandError

    from services.common.cli_errors import UsageError

    settings = WebSettings()
    try:
        asyncio.run(_migrate(settings, revision))
    except CommandError as exc:  # an unknown revision: the operator's input
        raise UsageError(f"unknown revision {revision!r}: {exc}") from None
    typer.echo(f"web database at revision {revision}")


async def _migrate(settings: WebSettings, revision: str) -> None:
    from services.common.migrations import migrate_database
    from services.web.bootstrap import MIGRATIONS

    await migrate_database(settings.database_url, MIGRATIONS, revision)
