"""`censo worker …`: run the census worker."""

from __future__ import annotations

import asyncio

import typer

app = typer.Typer(help="Census worker (Playwright lookups).", no_args_is_help=True)


@app.command()
def run() -> None:
    """Consume validation requests and look each cédula up until stopped."""
    from services.census_worker.bootstrap import run_worker

    asyncio.run(run_worker())
