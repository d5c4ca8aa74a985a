"""How a novedad reads: what changed, in a few Spanish words, and the place before and after."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schemas.census import CensusStatus
from services.web.views.labels import STATUS_LABELS

CANCELLED = {CensusStatus.CANCELLED_DECEASED.value, CensusStatus.CANCELLED_OTHER.value}


@dataclass(frozen=True)
class ChangeView:
    what: str
    before: str
    after: str
    tone: str  # the badge's colour: warning, or bad for a cédula that can no longer vote


def _status(value: str | None) -> str:
    return STATUS_LABELS[CensusStatus(value)] if value else "Sin respuesta"


def _side(row: Any, side: str) -> str:
    """«Puesto, mesa N (municipio, departamento)», or the status when there is no place."""
    puesto = getattr(row, f"{side}_puesto")
    if not puesto:
        return _status(getattr(row, f"{side}_status"))
    town = ", ".join(
        filter(None, (getattr(row, f"{side}_{n}") for n in ("municipio", "departamento")))
    )
    return f"{puesto}, mesa {getattr(row, f'{side}_mesa')}" + (f" ({town})" if town else "")


def what_changed(row: Any) -> str:
    after = row.after_status
    if after in CANCELLED and row.before_status not in CANCELLED:
        return "Cédula cancelada"
    if after == CensusStatus.NOT_FOUND.value:
        return "Ya no aparece en el censo"
    if after != row.before_status:
        return "Cambió el estado en el censo"
    if (row.before_puesto, row.before_municipio) != (row.after_puesto, row.after_municipio):
        return "Cambió de puesto de votación"
    return "Cambió de mesa"


def change_view(row: Any) -> ChangeView:
    tone = "bad" if row.after_status in CANCELLED else "warning"
    return ChangeView(what_changed(row), _side(row, "before"), _side(row, "after"), tone)
