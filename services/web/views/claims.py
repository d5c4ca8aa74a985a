"""Claims as the admin page shows them: Spanish status labels and tones, the filters, and the
WhatsApp message that carries a transferred account's reset link to the claimant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STATUS_LABELS = {"abierto": "Abierto", "transferido": "Transferido", "rechazado": "Rechazado"}
STATUS_TONES = {"abierto": "warning", "transferido": "good", "rechazado": "failed"}
# (estado in the query string, label): the page's filters, in order.
FILTERS = (
    ("abierto", "Abiertos"),
    ("transferido", "Transferidos"),
    ("rechazado", "Rechazados"),
    ("todos", "Todos"),
)
TRANSFER_TEXT = (
    "Hola {nombre}: revisamos su reclamo y la cuenta del censo de la campaña con su cédula ahora "
    "es suya. Cree su contraseña con este enlace (sirve una sola vez y vence en 24 horas): {link}"
)


@dataclass(frozen=True)
class ClaimView:
    row: Any
    label: str
    tone: str

    @property
    def open(self) -> bool:
        return bool(self.row.status == "abierto")


def claim_view(row: Any) -> ClaimView:
    status = str(row.status)
    return ClaimView(row, STATUS_LABELS.get(status, status), STATUS_TONES.get(status, "waiting"))


def transfer_message(nombre: str, link: str) -> str:
    return TRANSFER_TEXT.format(nombre=nombre.split(" ")[0], link=link)
