"""The `censo` command: one entry point for the services, the local infra and operators."""

from __future__ import annotations

import os
import shutil
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from infra.cli import app as infra_app
from infra.local.dev_env import SIMULATOR, ensure_dev_env
from infra.local.paths import PROJECT_ROOT
from services.census_worker.entrypoints.cli import app as worker_app
from services.census_worker.entrypoints.cli import lookup
from services.common.cli_errors import OneLineErrors
from services.common.logging import configure_logging
from services.common.settings import LoggingSettings
from services.operations.cli import app as ops_app
from services.registration.cli import admin_app
from services.registration.cli import app as registration_app
from services.web.cli import app as web_app

app = typer.Typer(
    cls=OneLineErrors,
    help="Censo: referral registration with census validation.",
    no_args_is_help=True,
)
app.add_typer(infra_app, name="infra")
app.add_typer(registration_app, name="registration")
app.add_typer(admin_app, name="admin")
app.add_typer(worker_app, name="worker")
app.add_typer(web_app, name="web")
app.add_typer(ops_app, name="ops")
app.command()(lookup)


def _print_version(asked: bool) -> None:
    if asked:
        typer.echo(f"censo {version('censo')}")
        raise typer.Exit()


@app.callback()
def _configure(
    ctx: typer.Context,
    _version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    configure_logging(LoggingSettings(), service=ctx.invoked_subcommand or "censo")


@app.command()
def run() -> None:
    """Start Kafka, PostgreSQL, the simulator and the three services; Ctrl-C stops them all."""
    env_file = ensure_dev_env()
    table = Table(title="Censo: servicios locales")
    table.add_column("servicio")
    table.add_column("dirección")
    for name, url in (
        ("web (panel)", "http://127.0.0.1:8000"),
        ("registro (API)", "http://127.0.0.1:8100/schema"),
        ("simulador Registraduría", f"{SIMULATOR}/censo/consultar/"),
        ("Kafka", "127.0.0.1:9092"),
        ("PostgreSQL", "127.0.0.1:5433"),
    ):
        table.add_row(name, url)
    Console().print(table)
    bin_dir = str(Path(sys.executable).parent)
    os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    honcho = shutil.which("honcho") or "honcho"
    procfile = PROJECT_ROOT / "Procfile"
    os.execv(
        honcho, [honcho, "start", "-f", str(procfile), "-d", str(PROJECT_ROOT), "-e", str(env_file)]
    )


def main() -> None:
    app()
