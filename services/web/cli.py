"""`censo web …`: serve the dashboard and run the projector."""

from __future__ import annotations

import contextlib
import logging
import re
import socket

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
