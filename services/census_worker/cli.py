"""`censo worker …` runs the census worker; `censo lookup` checks one cédula outside Kafka."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from typing import Annotated, Any, Literal

import typer

app = typer.Typer(help="Census worker (Playwright lookups).", no_args_is_help=True)


@app.command()
def run() -> None:
    """Consume validation requests and look each cédula up until stopped (SIGTERM: graceful)."""
    from services.census_worker.bootstrap import run_worker
    from services.common.logging import configure_logging
    from services.common.settings import LoggingSettings

    configure_logging(LoggingSettings(), service="census-worker")
    asyncio.run(run_worker())


def lookup(
    cedula: Annotated[str, typer.Argument(help="The cédula to look up (digits).")],
    source: Annotated[
        Literal["wsp", "consultacenso"] | None, typer.Option(help="Site variant.")
    ] = None,
    url: Annotated[str | None, typer.Option(help="Page URL of the chosen variant.")] = None,
    captcha_url: Annotated[str | None, typer.Option(help="2captcha-compatible base URL.")] = None,
    captcha_key: Annotated[str | None, typer.Option(help="Captcha service API key.")] = None,
) -> None:
    """Look one cédula up (outside Kafka) and print the result as JSON."""
    from services.census_worker.lookup.factory import open_census_source
    from services.census_worker.settings import LookupSettings

    overrides: dict[str, Any] = {"source": source} if source else {}
    chosen = source or LookupSettings().source
    if url:
        overrides["wsp_url" if chosen == "wsp" else "consultacenso_url"] = url
    if captcha_url:
        overrides["captcha_base_url"] = captcha_url
    if captcha_key:
        overrides["captcha_api_key"] = captcha_key
    settings = LookupSettings(**overrides)

    async def once() -> dict[str, Any]:
        async with open_census_source(settings) as census:
            result = await census.lookup(cedula)
        return dataclasses.asdict(result)

    typer.echo(json.dumps(asyncio.run(once()), ensure_ascii=False, indent=2, default=str))
