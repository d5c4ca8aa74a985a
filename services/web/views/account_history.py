"""«Historial» of an account for admins: each history row as what happened, when, by whom, and
each value it changed as old → new (the old value is the one the rows before left)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from schemas.events import Role
from services.web.views.formatting import cedula, number, telefono
from services.web.views.labels import role_label

TITLES = {
    "UserRegistered": "Registro",
    "UserProfileUpdated": "La persona editó su perfil",
    "UserEditedByAdmin": "Datos editados por un administrador",
    "UserCedulaCorrected": "Cédula corregida (se consulta de nuevo en el censo)",
    "UserRoleChanged": "Rol cambiado",
    "UserDisabled": "Cuenta desactivada",
    "UserEnabled": "Cuenta activada",
    "PasswordResetIssued": "Enlace para restablecer la contraseña creado",
    "PasswordResetCompleted": "Contraseña restablecida con el enlace",
    "TemporaryPasswordSet": "Contraseña temporal asignada",
    "ReferralHandedOver": "Traspasado a otro líder",
}
# The values a row may set, with their Spanish label and how each is written.
FIELDS: tuple[tuple[str, str, Any], ...] = (
    ("cedula", "Cédula", cedula),
    ("nombre", "Nombre", str),
    ("telefono", "Teléfono", telefono),
    ("referral_goal", "Meta de referidos", number),
)


@dataclass(frozen=True)
class Change:
    label: str
    old: str | None  # None: not known (before this history was kept) or the first value
    new: str


@dataclass(frozen=True)
class Entry:
    at: datetime
    title: str
    by: str | None
    changes: list[Change] = field(default_factory=list)


def entries(rows: Iterable[Any]) -> list[Entry]:
    """Newest first, from the rows oldest first."""
    known: dict[str, str] = {}
    result = [_entry(row, known) for row in rows]
    return result[::-1]


def _entry(row: Any, known: dict[str, str]) -> Entry:
    changes = []
    for name, label, written in FIELDS:
        value = getattr(row, name)
        if value is None:
            continue
        new = written(value)
        if known.get(name) != new:
            changes.append(Change(label, known.get(name), new))
        known[name] = new
    if row.role and row.previous_role:
        changes.append(
            Change("Rol", role_label(Role(row.previous_role)), role_label(Role(row.role)))
        )
    if row.kind == "ReferralHandedOver":
        changes.append(
            Change("Líder", _leader(row.previous_leader_nombre), _leader(row.leader_nombre))
        )
    elif row.kind == "UserRegistered" and row.referrer_id:
        changes.append(Change("Referido por", None, _leader(row.leader_nombre)))
    return Entry(row.occurred_at, TITLES.get(row.kind, row.kind), _by(row), changes)


def _leader(nombre: str | None) -> str:
    return nombre or "(cuenta que ya no está)"


def _by(row: Any) -> str | None:
    if row.actor_nombre:
        return str(row.actor_nombre)
    if row.operator:
        return f"{row.operator} (línea de comandos)"
    return None
