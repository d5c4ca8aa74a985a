"""Command line of the registration service, mounted by the root `censo` CLI:
`censo registration serve|relay|migrate` (`app`) and `censo admin create` (`admin_app`).

Commands import the service lazily so that `censo --help` stays fast.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

import structlog
import typer

if TYPE_CHECKING:
    from services.registration.domain.commands import RegisterUser
    from services.registration.settings import RegistrationSettings

app = typer.Typer(
    help="Registration service: HTTP API, outbox relay, migrations.", no_args_is_help=True
)
admin_app = typer.Typer(help="Administrator accounts.", no_args_is_help=True)
ADMIN_PASSWORD_ENV = "CENSO_ADMIN_PASSWORD"
RELAY_STOP_GRACE_S = 5.0  # a stopping relay finishes its batch within this, or is cancelled
log = structlog.get_logger(__name__)


@admin_app.callback()
def admin() -> None:
    """Administrator accounts (a callback keeps `create` a subcommand when used on its own)."""


def _settings(service: str = "registration") -> RegistrationSettings:
    from services.common.logging import configure_logging
    from services.registration.settings import RegistrationSettings

    settings = RegistrationSettings()
    configure_logging(settings.logging, service=service)
    return settings


@app.command()
def serve() -> None:
    """Serve the HTTP API (uvicorn) on the configured host and port."""
    import uvicorn

    from services.registration.app import create_app

    settings = _settings()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=None)


@app.command()
def relay() -> None:
    """Publish the outbox to Kafka until interrupted (only one relay publishes at a time)."""
    asyncio.run(_run_relay(_settings(service="registration-relay")))


async def _run_relay(settings: RegistrationSettings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await _until_stopped(_relay(settings, stop), stop, RELAY_STOP_GRACE_S)


async def _relay(settings: RegistrationSettings, stop: asyncio.Event) -> None:
    from services.common.db import make_engine, wait_for_database
    from services.registration.migrations import upgrade
    from services.registration.outbox.relay import OutboxRelay

    engine = make_engine(settings.database_url, pool_size=2)
    try:
        await wait_for_database(engine)
        if settings.migrate_on_start:
            await upgrade(engine)
        await OutboxRelay(settings, engine).run(stop)
    finally:
        await engine.dispose()


async def _until_stopped(
    work: Coroutine[Any, Any, None], stop: asyncio.Event, grace_s: float
) -> None:
    """Run `work`; once `stop` is set, let it finish within `grace_s`, then cancel it.

    The relay notices `stop` between batches, but a call to an unreachable database or broker can
    block far longer than a process manager waits. Cancelling loses nothing: the batch's
    transaction rolls back and its rows stay unsent for the next relay.
    """
    task = asyncio.ensure_future(work)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if not task.done():
            await asyncio.wait({task}, timeout=grace_s)
        if not task.done():
            log.warning("outbox.relay_cancelled", grace_s=grace_s)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            return
        await task  # its error, if any
    finally:
        stopping.cancel()


@app.command()
def migrate(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply the database migrations (production runs this instead of migrating at start-up)."""
    from services.registration.migrations import run_migrations

    run_migrations(_settings().database_url, revision)
    typer.echo(f"base de datos en la revisión {revision}")


@admin_app.command("create")
def create_admin(
    cedula: str = typer.Option(..., help="Cédula of the administrator."),
    nombre: str = typer.Option(..., help="Nombre completo."),
    telefono: str = typer.Option(..., help="Teléfono (Colombian format)."),
) -> None:
    """Create an ADMIN account. The password comes from $CENSO_ADMIN_PASSWORD or is prompted."""
    from schemas.events import Role
    from services.common.logging import mask_cedula
    from services.registration.domain.commands import RegisterUser
    from services.registration.domain.errors import CedulaAlreadyRegistered, InvalidFields

    password = os.environ.get(ADMIN_PASSWORD_ENV) or typer.prompt(
        "Contraseña", hide_input=True, confirmation_prompt=True
    )
    # The operator running the command accepts the data policy on the administrator's behalf.
    cmd = RegisterUser(
        cedula, nombre, telefono, password, data_policy_accepted=True, role=Role.ADMIN
    )
    try:
        user_id = asyncio.run(_create_admin(_settings(), cmd))
    except InvalidFields as exc:
        for problem in exc.problems:
            typer.echo(problem.message, err=True)
        raise typer.Exit(2) from None
    except CedulaAlreadyRegistered:
        typer.echo("Cédula: ya existe una cuenta registrada con esta cédula.", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"administrador creado: {user_id} (cédula {mask_cedula(cmd.cedula)})")


async def _create_admin(settings: RegistrationSettings, cmd: RegisterUser) -> str:
    """The same path as a web registration (validators, event), with role ADMIN."""
    from services.registration.bootstrap import start_services
    from services.registration.service_layer.accounts import register_user

    services = await start_services(settings)
    try:
        return str((await register_user(cmd, services.uow(), services.hasher)).id)
    finally:
        await services.close()
