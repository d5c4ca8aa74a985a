"""Spanish names of the census statuses and roles, and the CSS class of each status badge."""

from __future__ import annotations

from schemas.census import CensusStatus
from schemas.events import Role

STATUS_LABELS: dict[CensusStatus, str] = {
    CensusStatus.PENDING: "Pendiente",
    CensusStatus.PROCESSING: "Procesando",
    CensusStatus.ACTIVE: "Activo (habilitado para votar)",
    CensusStatus.NOT_FOUND: "No encontrado en el censo",
    CensusStatus.CANCELLED_DECEASED: "Cancelada por muerte",
    CensusStatus.CANCELLED_OTHER: "Cancelada (otra novedad)",
    CensusStatus.ERROR: "Error",
    CensusStatus.TIMEOUT: "Tiempo agotado",
    CensusStatus.BLOCKED: "Bloqueado",
}

# Tone of each badge: waiting, good, warning, bad (the CSS colours them).
STATUS_TONES: dict[CensusStatus, str] = {
    CensusStatus.PENDING: "waiting",
    CensusStatus.PROCESSING: "working",
    CensusStatus.ACTIVE: "good",
    CensusStatus.NOT_FOUND: "warning",
    CensusStatus.CANCELLED_DECEASED: "bad",
    CensusStatus.CANCELLED_OTHER: "bad",
    CensusStatus.ERROR: "failed",
    CensusStatus.TIMEOUT: "failed",
    CensusStatus.BLOCKED: "failed",
}

ROLE_LABELS: dict[Role, str] = {
    Role.USER: "Usuario",
    Role.LEADER: "Líder",
    Role.ADMIN: "Administrador",
}

STUCK_LABEL = "Atascados"


def status_label(status: str) -> str:
    return STATUS_LABELS[CensusStatus(status)]


def badge_class(status: str) -> str:
    return f"badge badge--{STATUS_TONES[CensusStatus(status)]}"


def role_label(role: str) -> str:
    return ROLE_LABELS[Role(role)]


def status_choices() -> list[tuple[str, str]]:
    """(value, label) of every status, for the filter select."""
    return [(status.value, label) for status, label in STATUS_LABELS.items()]
