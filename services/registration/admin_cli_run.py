"""How an operator's account command runs: the cédulas it names checked (exit 2) and resolved to
accounts (exit 1 for an unknown one), the work done with the service's use cases as the
operator, and each refusal of the domain told on one line (exit 1; invalid fields exit 2)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, NoReturn

import typer

from services.registration.cli_support import USAGE_ERROR, command_settings, database_reachable

if TYPE_CHECKING:
    from services.registration.bootstrap import Services
    from services.registration.domain.model import User
    from services.registration.settings import RegistrationSettings

    Work = Callable[[Services, str, list[User]], Awaitable[str]]

REFUSED = 1


class UnknownCedula(Exception):
    """No account has this (normalised) cédula."""

    def __init__(self, cedula: str) -> None:
        super().__init__(cedula)
        self.cedula = cedula


def refused(verb: str, message: str, code: int = REFUSED) -> NoReturn:
    """End the command `censo admin <verb>` with `message` on one line and exit `code`."""
    typer.echo(f"censo admin {verb}: {' '.join(message.split())}", err=True)
    raise typer.Exit(code)


def run_as_operator(verb: str, work: Work, *cedulas: str) -> str:
    """What `work` says, given the services, the operator's name and the accounts of `cedulas`
    (in order); a failure ends the command as described above."""
    from services.common.logging import mask_cedula
    from services.common.operator import operator_name
    from services.registration.domain import errors as e
    from services.registration.domain.validators import normalise_cedula

    try:
        normalised = [normalise_cedula(cedula) for cedula in cedulas]  # before any connection
        settings = command_settings()
        with database_reachable(settings):
            return asyncio.run(_run(settings, work, operator_name(), normalised))
    except e.InvalidFields as exc:  # the domain's own Spanish messages
        refused(verb, " ".join(problem.message for problem in exc.problems), USAGE_ERROR)
    except UnknownCedula as exc:
        refused(verb, f"no account has this cédula ({mask_cedula(exc.cedula)})")
    except e.UserNotFound:
        refused(verb, "no account has this cédula")
    except e.LastActiveAdmin:
        refused(verb, "this is the last active ADMIN; refused (make another ADMIN first)")
    except e.CedulaAlreadyRegistered:
        refused(verb, "another account already has this cédula; nothing was changed")
    except e.AccountDeleted:
        refused(verb, "this account was deleted; it can be neither changed nor revived")


async def _run(
    settings: RegistrationSettings, work: Work, operator: str, cedulas: Sequence[str]
) -> str:
    from services.registration.bootstrap import start_services

    services = await start_services(settings)
    try:
        return await work(services, operator, await _accounts(services, cedulas))
    finally:
        await services.close()


async def _accounts(services: Services, cedulas: Sequence[str]) -> list[User]:
    accounts = []
    async with services.uow() as uow:
        for cedula in cedulas:
            user = await uow.users.get_by_cedula(cedula)
            if user is None:
                raise UnknownCedula(cedula)
            accounts.append(user)
    return accounts
