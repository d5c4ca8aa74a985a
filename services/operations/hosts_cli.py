"""`censo ops status` and `censo ops hosts …`: the census hosts' capacity and backlog, and
resuming a host whose circuit is open."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from services.common.cli_errors import OneLineErrors
from services.common.settings import KafkaSettings
from services.operations import census_status
from services.operations.arguments import Json, examples
from services.web.settings import WebSettings

hosts_app = typer.Typer(
    cls=OneLineErrors, help="Census hosts: resume one whose circuit is open.", no_args_is_help=True
)


def status(as_json: Json = False) -> None:
    """Census lookups waiting per lane, each host's budget and circuit, the ETA, the captchas."""
    group = WebSettings().census_worker_group_id
    asyncio.run(census_status.show_status(KafkaSettings(), group, as_json))


STATUS_EXAMPLES = examples("censo ops status", "censo ops status --json")


@hosts_app.command("resume", epilog=examples("censo ops hosts resume wsp"))
def resume(
    host: Annotated[str, typer.Argument(help="The census host: wsp or consultacenso.")],
) -> None:
    """Let the lookups of a host whose circuit opened run again; audited."""
    asyncio.run(census_status.resume_host(KafkaSettings(), host))
