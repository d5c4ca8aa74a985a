"""Command line of the registration service, mounted by the root `censo` CLI:
`censo registration serve|relay|migrate` (`app`) and `censo admin create|disable|enable`
(`admin_app`), with the account administration of `admin_cli` (edit, handover, reset-link,
temporary-password, role).

Commands import the service lazily so that `censo --help` stays fast. Invalid input ends a command
with one line and exit code 2; an unreachable database with one line and exit code 1.
"""

from __future__ import annotations

import asyncio
import os
from typing import TYPE_CHECKING, Annotated

import typer

from services.registration import admin_cli
from services.registration.admin_cli_run import run_as_operator
from services.registration.cli_support import USAGE_ERROR, command_settings, database_reachable

if TYPE_CHECKING:
    from services.registration.bootstrap import Services
    from services.registration.domain.commands import RegisterUser
    from services.registration.domain.model import User
    from services.registration.settings import RegistrationSettings

app = typer.Typer(
    help="Registration service: HTTP API, outbox relay, migrations.", no_args_is_help=True
)
admin_app = typer.Typer(help="Administrator accounts.", no_args_is_help=True)
ADMIN_PASSWORD_ENV = "CENSO_ADMIN_PASSWORD"
Revision = Annotated[
    str,
    typer.Argument(
        metavar="REVISION",
        help="Alembic revision to reach: `head` (the newest) or a revision id such as 0001.",
    ),
]


@admin_app.callback()
def admin() -> None:
    """Administrator accounts (a callback keeps `create` a subcommand when used on its own)."""


@app.command(epilog="Example: censo registration serve")
def serve() -> None:
    """Serve the HTTP API (uvicorn) on REGISTRATION_HOST:REGISTRATION_PORT."""
    import uvicorn

    from services.registration.app import create_app
    from services.registration.bootstrap import prepare_database

    settings = command_settings()
    with database_reachable(settings):  # here, rather than as a traceback from the lifespan
        asyncio.run(prepare_database(settings))
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)


@app.command(epilog="Example: censo registration relay")
def relay() -> None:
    """Publish the outbox to Kafka until interrupted (only one relay publishes at a time)."""
    from services.common.ops_http import OpsEndpointUnavailable
    from services.registration.entrypoints.relay_process import run_relay

    settings = command_settings(service="registration-relay")
    with database_reachable(settings):
        try:
            asyncio.run(run_relay(settings))
        except OpsEndpointUnavailable as exc:
            typer.echo(f"censo registration relay: {exc}", err=True)
            raise typer.Exit(1) from None


@app.command(
    epilog="Examples: censo registration migrate · censo registration migrate 0001",
)
def migrate(revision: Revision = "head") -> None:
    """Apply the database migrations (production runs this instead of migrating at start-up)."""
    from alembic.util import CommandError

    from services.registration.bootstrap import prepare_database

    settings = command_settings()
    with database_reachable(settings):
        try:
            asyncio.run(prepare_database(settings, migrate_to=revision))
        except CommandError as exc:  # an unknown revision: the operator's input
            typer.echo(
                f"censo registration migrate: unknown revision {revision!r}: {exc}", err=True
            )
            raise typer.Exit(USAGE_ERROR) from None
    typer.echo(f"registration database at revision {revision}")


@admin_app.command(
    "create",
    epilog="Example: CENSO_ADMIN_PASSWORD=… censo admin create --cedula 1020304050 "
    "--nombre 'Ana María Pérez' --telefono 3001234567",
)
def create_admin(
    cedula: str = typer.Option(..., help="Cédula of the administrator (digits; dots allowed)."),
    nombre: str = typer.Option(..., help="Nombre completo."),
    telefono: str = typer.Option(..., help="Teléfono (Colombian format, +57 optional)."),
) -> None:
    """Create an ADMIN account. The password comes from $CENSO_ADMIN_PASSWORD or is prompted."""
    from schemas.events import Role
    from services.common.logging import mask_cedula
    from services.registration.domain.commands import RegisterUser
    from services.registration.domain.errors import CedulaAlreadyRegistered, InvalidFields
    from services.registration.domain.forms import validate_registration

    password = os.environ.get(ADMIN_PASSWORD_ENV) or typer.prompt(
        "Contraseña", hide_input=True, confirmation_prompt=True
    )
    # The operator running the command accepts the data policy on the administrator's behalf.
    cmd = RegisterUser(
        cedula, nombre, telefono, password, data_policy_accepted=True, role=Role.ADMIN
    )
    settings = command_settings()
    try:
        validate_registration(cmd)  # before connecting: a typing mistake needs no database
        with database_reachable(settings):
            user_id = asyncio.run(_create_admin(settings, cmd))
    except InvalidFields as exc:
        # The domain's own (Spanish) messages, all on one line.
        typer.echo("censo admin create: " + " ".join(p.message for p in exc.problems), err=True)
        raise typer.Exit(USAGE_ERROR) from None
    except CedulaAlreadyRegistered:
        typer.echo("censo admin create: an account with this cédula already exists", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"administrator created: {user_id} (cédula {mask_cedula(cmd.cedula)})")


async def _create_admin(settings: RegistrationSettings, cmd: RegisterUser) -> str:
    """The same path as a web registration (validators, event), with role ADMIN."""
    from services.registration.bootstrap import start_services
    from services.registration.service_layer.accounts import register_user

    services = await start_services(settings)
    try:
        return str((await register_user(cmd, services.uow(), services.hasher)).id)
    finally:
        await services.close()


Cedula = Annotated[str, typer.Option(help="Cédula of the account (digits; dots allowed).")]


@admin_app.command("disable", epilog="Example: censo admin disable --cedula 1020304050")
def disable_account(cedula: Cedula) -> None:
    """Disable an account: it can no longer log in and every session of it ends (never the last
    active ADMIN). Recorded on accounts.events with the operator ($CENSO_OPERATOR or login)."""
    _set_account_state("disable", cedula, disabled=True)


@admin_app.command("enable", epilog="Example: censo admin enable --cedula 1020304050")
def enable_account(cedula: Cedula) -> None:
    """Let a disabled account log in again."""
    _set_account_state("enable", cedula, disabled=False)


def _set_account_state(verb: str, cedula: str, disabled: bool) -> None:
    """The same use case as an ADMIN's on the web, run as the operator."""
    from services.common.logging import mask_cedula
    from services.registration.domain.commands import SetAccountState
    from services.registration.service_layer.account_state import set_account_state

    async def work(services: Services, operator: str, accounts: list[User]) -> str:
        before = accounts[0]
        cmd = SetAccountState(before.id, disabled, operator=operator)
        after = await set_account_state(cmd, None, services.uow())
        state = "disabled" if disabled else "enabled"
        news = state if after.disabled_at != before.disabled_at else f"already {state}"
        return f"account {news} (cédula {mask_cedula(before.cedula)})"

    typer.echo(run_as_operator(verb, work, cedula))


admin_cli.add_commands(admin_app)
