"""The campaign always keeps an ADMIN who can log in: no demotion, disabling nor deletion may
remove the last one, whoever asks and through whatever route (API, web, command line)."""

from __future__ import annotations

from services.registration.domain.errors import LastActiveAdmin
from services.registration.domain.model import User

LAST_ADMIN_MESSAGE = (
    "Esta cuenta es la única de administrador activa: no se le puede quitar el rol, "
    "desactivarla ni eliminarla. Dé antes el rol de administrador a otra persona."
)


def removes_an_active_admin(before: User, after: User) -> bool:
    return before.is_active_admin and not after.is_active_admin


def check_an_admin_remains(before: User, after: User, active_admins: int) -> None:
    """LastActiveAdmin when the change takes away the only active ADMIN (`active_admins`
    counted, under the lock, with `before` among them)."""
    if removes_an_active_admin(before, after) and active_admins <= 1:
        raise LastActiveAdmin(LAST_ADMIN_MESSAGE)
