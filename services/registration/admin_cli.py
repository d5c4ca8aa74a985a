"""`censo admin edit|handover|reset-link|temporary-password|role|delete`: an operator's account
administration, through the same use cases as an ADMIN's on the web, each recorded on
accounts.events with the operator ($CENSO_OPERATOR or login) in place of an ADMIN.

Accounts are named by cédula. Bad input ends a command with one line and exit code 2; a refusal
(an unknown cédula, the last active ADMIN, a cédula taken) with one line and exit code 1."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

from services.registration.admin_cli_run import refused, run_as_operator
from services.registration.cli_support import USAGE_ERROR

if TYPE_CHECKING:
    from services.registration.bootstrap import Services
    from services.registration.domain.model import User

TEMPORARY_PASSWORD_ENV = "CENSO_TEMPORARY_PASSWORD"
PUBLIC_BASE_URL_ENV = "WEB_PUBLIC_BASE_URL"  # the web's own setting: its links start with it
DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8000"  # the web's default too
RESET_PATH = "/restablecer/"  # the web's page that opens a reset link
Cedula = Annotated[str, typer.Argument(help="Cédula of the account (digits; dots allowed).")]


def edit(
    cedula: Cedula,
    nombre: Annotated[str | None, typer.Option(help="Nombre completo.")] = None,
    telefono: Annotated[str | None, typer.Option(help="Teléfono.")] = None,
    new_cedula: Annotated[
        str | None, typer.Option("--cedula", help="The corrected cédula (must be free).")
    ] = None,
    meta: Annotated[int | None, typer.Option(help="Meta de referidos (1 to 10,000).")] = None,
) -> None:
    """Edit a person's nombre, teléfono, meta or mistyped cédula (then looked up again)."""
    from services.registration.domain.commands import EditUser
    from services.registration.service_layer.account_admin import edit_user

    if (nombre, telefono, new_cedula, meta) == (None, None, None, None):
        refused(
            "edit", "nothing to change: give --nombre, --telefono, --cedula or --meta", USAGE_ERROR
        )

    async def work(services: Services, operator: str, accounts: list[User]) -> str:
        before = accounts[0]
        cmd = EditUser(before.id, nombre, telefono, new_cedula, meta, operator=operator)
        after = await edit_user(cmd, None, services.uow())
        if after == before:
            return "nothing changed"
        if after.cedula != before.cedula:
            return "account saved; the corrected cédula is being looked up"
        return "account saved"

    typer.echo(run_as_operator("edit", work, cedula))


def handover(
    from_leader: Annotated[str, typer.Argument(help="Cédula of the leader who leaves.")],
    to_leader: Annotated[str, typer.Argument(help="Cédula of the leader who takes over.")],
    referido: Annotated[
        list[str] | None,
        typer.Option(help="Cédula of a referral to move (repeat it); none given: all."),
    ] = None,
) -> None:
    """Move all (or the named) direct referrals of one leader to another."""
    from services.registration.domain.commands import HandOverReferrals
    from services.registration.service_layer.hand_over import hand_over_referrals

    async def work(services: Services, operator: str, accounts: list[User]) -> str:
        origin, destination, *chosen = accounts
        ids = tuple(user.id for user in chosen) if referido else None
        cmd = HandOverReferrals(origin.id, destination.id, ids, operator=operator)
        moved = await hand_over_referrals(cmd, None, services.uow())
        return f"{len(moved)} referral(s) handed over"

    typer.echo(run_as_operator("handover", work, from_leader, to_leader, *(referido or ())))


def reset_link(cedula: Cedula) -> None:
    """Make a one-time link (24 h) for the person to set a new password; shown only now."""
    from services.registration.domain.commands import IssueResetLink
    from services.registration.service_layer.password_resets import issue_reset_link

    base = (os.environ.get(PUBLIC_BASE_URL_ENV) or DEFAULT_PUBLIC_BASE_URL).rstrip("/")

    async def work(services: Services, operator: str, accounts: list[User]) -> str:
        cmd = IssueResetLink(accounts[0].id, operator=operator)
        issued = await issue_reset_link(cmd, None, services.uow())
        until = f"{issued.link.expires_at:%Y-%m-%d %H:%M} UTC"
        typer.echo(f"one-time link, valid until {until}; send it to the person:", err=True)
        return f"{base}{RESET_PATH}{issued.token}"

    typer.echo(run_as_operator("reset-link", work, cedula))


def temporary_password(cedula: Cedula) -> None:
    """Set a password the person must change at their next login ($CENSO_TEMPORARY_PASSWORD,
    or prompted); their unused reset links stop working."""
    from services.registration.domain.commands import SetTemporaryPassword
    from services.registration.service_layer.temporary_passwords import set_temporary_password

    password = os.environ.get(TEMPORARY_PASSWORD_ENV) or typer.prompt(
        "Contraseña temporal", hide_input=True, confirmation_prompt=True
    )

    async def work(services: Services, operator: str, accounts: list[User]) -> str:
        cmd = SetTemporaryPassword(accounts[0].id, password, operator=operator)
        limits = services.login_limits
        await set_temporary_password(cmd, None, services.uow(), services.hasher, limits)
        return "temporary password set; it must be changed at the next login"

    typer.echo(run_as_operator("temporary-password", work, cedula))


def role(
    cedula: Cedula,
    new_role: Annotated[str, typer.Argument(metavar="ROLE", help="USER, LEADER or ADMIN.")],
) -> None:
    """Change a person's role (never taking the last active ADMIN's away)."""
    from schemas.events import Role
    from services.registration.domain.commands import ChangeRole
    from services.registration.service_layer.roles import change_role

    if new_role.upper() not in Role.__members__:
        refused("role", f"unknown role {new_role!r}: USER, LEADER or ADMIN", USAGE_ERROR)

    async def work(services: Services, operator: str, accounts: list[User]) -> str:
        before: Role = accounts[0].role
        cmd = ChangeRole(accounts[0].id, new_role.upper(), operator=operator)
        after = (await change_role(cmd, None, services.uow())).role
        if after is before:
            return f"role already {after.value}"
        return f"role changed: {before.value} -> {after.value}"

    typer.echo(run_as_operator("role", work, cedula))


def delete(
    cedula: Cedula,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete an account for good (Ley 1581): its key, nombre, teléfono, cédula and census
    answers are erased everywhere, Kafka included; its referrals stay (never the last ADMIN)."""
    from services.registration.domain.commands import DeleteAccount
    from services.registration.service_layer.deletion import delete_account

    if not yes and not typer.confirm("¿Eliminar esta cuenta para siempre?"):
        refused("delete", "not confirmed; nothing was deleted")

    async def work(services: Services, operator: str, accounts: list[User]) -> str:
        await delete_account(DeleteAccount(accounts[0].id, operator=operator), None, services.uow())
        return "account deleted: its personal data can no longer be read anywhere"

    typer.echo(run_as_operator("delete", work, cedula))


def add_commands(app: typer.Typer) -> None:
    """Mount the commands on `censo admin`."""
    app.command("edit", epilog="Example: censo admin edit 1020304050 --cedula 1020304051")(edit)
    app.command("handover", epilog="Example: censo admin handover 52111222 79333444")(handover)
    app.command("reset-link", epilog="Example: censo admin reset-link 1020304050")(reset_link)
    app.command(
        "temporary-password",
        epilog="Example: CENSO_TEMPORARY_PASSWORD=… censo admin temporary-password 1020304050",
    )(temporary_password)
    app.command("role", epilog="Example: censo admin role 1020304050 LEADER")(role)
    app.command("delete", epilog="Example: censo admin delete 1020304050 --yes")(delete)
