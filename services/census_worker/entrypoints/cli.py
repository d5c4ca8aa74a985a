"""`censo worker run` runs the census worker, `censo worker migrate` migrates its database;
`censo lookup CEDULA` checks one cédula outside Kafka.

Exit codes: 0 done (a found, not-found or cancelled answer for `lookup`), 1 the census or Kafka
could not be reached, or the captcha service refused the account (one line on stderr), 2 a usage
error. Commands import the worker lazily so that `censo --help` stays fast.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from schemas.events import CEDULA_PATTERN

if TYPE_CHECKING:
    from services.census_worker.domain.model import LookupResult
    from services.census_worker.lookup.settings import LookupSettings

app = typer.Typer(help="Census worker (Playwright lookups).", no_args_is_help=True)
_SEPARATORS = re.compile(r"[.\s]")


@app.command()
def run() -> None:
    """Consume validation requests and look each cédula up until stopped.

    SIGTERM or Ctrl-C finishes the lookups in flight, then exits 0.
    Exit 1 when Kafka does not answer within KAFKA_STARTUP_TIMEOUT_S,
    the metrics port (WORKER_METRICS_PORT) is taken, or the captcha
    service refuses the account (CENSUS_CAPTCHA_API_KEY missing in live
    mode, unknown, or without balance).

    Examples:

        censo worker run

        CENSUS_SOURCE=consultacenso censo worker run
    """
    from services.census_worker.app import run_worker
    from services.census_worker.entrypoints.metrics_http import MetricsEndpointUnavailable
    from services.census_worker.lookup.captcha.account import CaptchaAccountRefused
    from services.common.kafka import KafkaUnavailable
    from services.common.logging import configure_logging
    from services.common.settings import LoggingSettings

    configure_logging(LoggingSettings(), service="census-worker")
    try:
        asyncio.run(run_worker())
    except (KafkaUnavailable, MetricsEndpointUnavailable, CaptchaAccountRefused) as exc:
        typer.echo(f"census worker not started: {exc}", err=True)
        raise typer.Exit(1) from None


Revision = Annotated[
    str,
    typer.Argument(
        metavar="REVISION",
        help="Alembic revision to reach: `head` (the newest) or a revision id.",
    ),
]


@app.command(epilog="Examples: censo worker migrate · censo worker migrate head")
def migrate(revision: Revision = "head") -> None:
    """Migrate the worker database (production: before starting the workers).

    Several at once take turns under an advisory lock.
    """
    from alembic.util import CommandError

    from services.census_worker.adapters.tables import MIGRATIONS
    from services.census_worker.settings import WorkerSettings
    from services.common.cli_errors import UsageError
    from services.common.migrations import migrate_database

    url = WorkerSettings().database_url
    try:
        asyncio.run(migrate_database(url, MIGRATIONS, revision))
    except CommandError as exc:  # an unknown revision: the operator's input
        raise UsageError(f"unknown revision {revision!r}: {exc}") from None
    typer.echo(f"worker database at revision {revision}")


def cedula_argument(value: str) -> str:
    """The cédula as digits (dots and spaces allowed in what is typed); else a usage error, in
    one line (typer's own usage errors take a framed block)."""
    cedula = _SEPARATORS.sub("", value)
    if not re.fullmatch(CEDULA_PATTERN, cedula):
        typer.echo(
            "censo lookup: invalid CEDULA: 3 to 10 digits, not starting with 0 (dots allowed).",
            err=True,
        )
        raise typer.Exit(2)
    return cedula


def lookup(
    cedula: Annotated[
        str,
        typer.Argument(
            help="The cédula to look up: digits, dots allowed (1.102.812.122).",
            metavar="CEDULA",
            callback=cedula_argument,
            show_default=False,
        ),
    ],
    source: Annotated[
        Literal["wsp", "consultacenso"] | None,
        typer.Option(help="Site variant (default: CENSUS_SOURCE)."),
    ] = None,
    url: Annotated[str | None, typer.Option(help="Page URL of the chosen variant.")] = None,
    captcha_url: Annotated[str | None, typer.Option(help="2captcha-compatible base URL.")] = None,
    captcha_key: Annotated[str | None, typer.Option(help="Captcha service API key.")] = None,
) -> None:
    """Look one cédula up (outside Kafka) and print the answer as JSON.

    Exit 1 when the census gave no answer (ERROR, TIMEOUT or BLOCKED);
    the JSON on stdout says why (site or captcha service unreachable,
    firewall page, ...).

    Examples:

        censo lookup 1102812122

        censo lookup 1.102.812.122 --source consultacenso

        censo lookup 17100200 --url http://127.0.0.1:8700/censo/consultar/
    """
    settings = _lookup_settings(source, url, captcha_url, captcha_key)
    result = asyncio.run(_look_up(settings, cedula))
    typer.echo(json.dumps(dataclasses.asdict(result), ensure_ascii=False, indent=2, default=str))
    if not result.status.is_final:
        typer.echo(f"no answer from the census: {result.status.value}: {result.reason}", err=True)
        raise typer.Exit(1)


def _lookup_settings(
    source: str | None, url: str | None, captcha_url: str | None, captcha_key: str | None
) -> LookupSettings:
    from services.census_worker.lookup.settings import LookupSettings

    overrides: dict[str, Any] = {"source": source} if source else {}
    chosen = source or LookupSettings().source
    if url:
        overrides["wsp_url" if chosen == "wsp" else "consultacenso_url"] = url
    if captcha_url:
        overrides["captcha_base_url"] = captcha_url
    if captcha_key:
        overrides["captcha_api_key"] = captcha_key
    return LookupSettings(**overrides)


async def _look_up(settings: LookupSettings, cedula: str) -> LookupResult:
    from services.census_worker.lookup.factory import open_census_source

    async with open_census_source(settings) as census:
        return await census.lookup(cedula)
