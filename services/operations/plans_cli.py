"""`censo ops plans …`: the revalidations planned against the election date; running due ones."""

from __future__ import annotations

import asyncio

import typer

from services.common.cli_errors import OneLineErrors
from services.common.graceful import run_stoppable
from services.common.settings import KafkaSettings
from services.operations import plans
from services.operations.arguments import Json, examples

plans_app = typer.Typer(
    cls=OneLineErrors,
    help="Revalidations planned on the web's Calendario electoral: list, run the due ones.",
    no_args_is_help=True,
)


@plans_app.command("list", epilog=examples("censo ops plans list", "censo ops plans list --json"))
def plans_list(as_json: Json = False) -> None:
    """The planned revalidations, soonest first."""
    asyncio.run(plans.list_plans(as_json))


@plans_app.command(
    "run-due",
    epilog=examples(
        "censo ops plans run-due",
        "*/15 * * * *  censo ops plans run-due   (a crontab line: every 15 minutes)",
    ),
)
def plans_run_due() -> None:
    """Run every planned revalidation that is due (everyone, audited); start it periodically."""
    run_stoppable(plans.run_due(KafkaSettings()))
