"""A temporary password set by an ADMIN must be changed before anything else: the login marks the
session, and until the change every logged-in page sends the person to «Cambiar contraseña»."""

from __future__ import annotations

from litestar.exceptions import NotAuthorizedException

from services.web.connection import AnyConnection

MUST_CHANGE_KEY = "must_change_password"
CHANGE_PAGE = "/contrasena"
# What a person with a temporary password may still reach (logging out is public).
ALLOWED_ROUTES = frozenset({"password_page", "change_password"})


class PasswordChangeRequired(NotAuthorizedException):
    """Pages answer with a redirect to the password change page."""


def mark_change_required(connection: AnyConnection) -> None:
    connection.session[MUST_CHANGE_KEY] = True


def clear_change_required(connection: AnyConnection) -> None:
    connection.session.pop(MUST_CHANGE_KEY, None)


def change_required(connection: AnyConnection) -> bool:
    return "session" in connection.scope and bool(connection.session.get(MUST_CHANGE_KEY))


def check_password_changed(connection: AnyConnection, route_name: str | None) -> None:
    """PasswordChangeRequired for any route but the change itself while the mark is there."""
    if route_name not in ALLOWED_ROUTES and change_required(connection):
        raise PasswordChangeRequired("Cambie su contraseña temporal para continuar.")
