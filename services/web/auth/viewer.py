"""The logged-in user as the pages see them, and how a session starts and ends.

The session keeps the user id plus a snapshot of the account as the registration API returned it
at login; the read model (kept current by the projector) wins whenever it has the user, so a role
change applies at the next request. The snapshot covers the moments before the projector caught up.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from schemas.events import Role
from services.web.auth.session_backend import REMEMBER_KEY, USER_KEY, rotate_on_save
from services.web.connection import AnyConnection


@dataclass(frozen=True)
class Viewer:
    user_id: UUID
    role: Role
    cedula: str
    nombre: str
    telefono: str
    referral_code: str
    referral_goal: int
    data_policy_accepted_at: datetime | None = None

    @property
    def is_leader(self) -> bool:
        """LEADER and ADMIN see the census of their referrals and may refresh it."""
        return self.role in (Role.LEADER, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def with_account(self, row: Any) -> Viewer:
        """This viewer with the read model's current values."""
        return Viewer(
            user_id=self.user_id,
            role=Role(row.role),
            cedula=row.cedula,
            nombre=row.nombre,
            telefono=row.telefono,
            referral_code=row.referral_code,
            referral_goal=row.referral_goal,
            data_policy_accepted_at=self.data_policy_accepted_at,
        )


def viewer_from_api(user: dict[str, Any]) -> Viewer:
    accepted = user.get("data_policy_accepted_at")
    return Viewer(
        user_id=UUID(user["id"]),
        role=Role(user["role"]),
        cedula=user["cedula"],
        nombre=user["nombre"],
        telefono=user["telefono"],
        referral_code=user["referral_code"],
        referral_goal=user["referral_goal"],
        data_policy_accepted_at=datetime.fromisoformat(accepted) if accepted else None,
    )


def _snapshot(viewer: Viewer) -> dict[str, Any]:
    snapshot = asdict(viewer) | {"user_id": str(viewer.user_id), "role": viewer.role.value}
    if viewer.data_policy_accepted_at:
        snapshot["data_policy_accepted_at"] = viewer.data_policy_accepted_at.isoformat()
    return snapshot


def session_contents(viewer: Viewer, remember: bool) -> dict[str, Any]:
    """What a logged-in session holds: the account snapshot and the «Recordarme» choice."""
    return {USER_KEY: _snapshot(viewer), REMEMBER_KEY: remember}


def start_session(connection: AnyConnection, viewer: Viewer, remember: bool) -> None:
    """A brand-new session (new id) holding only this user."""
    session = session_contents(viewer, remember)
    rotate_on_save(session)
    connection.set_session(session)


def update_snapshot(connection: AnyConnection, user: dict[str, Any]) -> None:
    """After the registration API changed the account: what it answered, until projected."""
    connection.session[USER_KEY] = _snapshot(viewer_from_api(user))


def session_viewer(connection: AnyConnection) -> Viewer | None:
    """The viewer stored in the session, before the read model is consulted."""
    snapshot = connection.session.get(USER_KEY) if "session" in connection.scope else None
    if not isinstance(snapshot, dict):
        return None
    try:
        return viewer_from_api(snapshot | {"id": snapshot["user_id"]})
    except (KeyError, ValueError):
        return None


def end_session(connection: AnyConnection) -> None:
    connection.clear_session()
