"""`censo web …`: serve the dashboard and run the projector."""

from __future__ import annotations

import typer
import uvicorn

from services.web.settings import WebSettings

app = typer.Typer(help="Web service (query side).", no_args_is_help=True)


@app.command()
def serve() -> None:
    """Serve the web app (with its projector) on WEB_HOST:WEB_PORT."""
    settings = WebSettings()
    uvicorn.run(
        "services.web.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        log_config=None,
        proxy_headers=False,
    )
