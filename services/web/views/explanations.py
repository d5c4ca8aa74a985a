"""What a census status means to a supporter or a leader, in plain Spanish: what happened and what
happens next. The worker's technical reason never goes here; admins read it (and the raw answer)
on the user's detail page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from schemas.census import CensusStatus
from services.web.views.formatting import date_time

# What happened, one sentence per status. Every status needs one (a unit test checks it).
WHAT_HAPPENED: dict[CensusStatus, str] = {
    CensusStatus.PENDING: "Su cédula está en la fila para consultarla en la Registraduría.",
    CensusStatus.PROCESSING: "Estamos consultando la Registraduría en este momento.",
    CensusStatus.ACTIVE: "La cédula está habilitada para votar en el puesto y la mesa indicados.",
    CensusStatus.NOT_FOUND: "La cédula no aparece en el censo electoral vigente.",
    CensusStatus.CANCELLED_DECEASED: "La Registraduría reporta esta cédula cancelada por muerte.",
    CensusStatus.CANCELLED_OTHER: "La Registraduría reporta una novedad que cancela esta cédula.",
    CensusStatus.ERROR: "No pudimos leer la respuesta de la Registraduría.",
    CensusStatus.TIMEOUT: "La página de la Registraduría tardó demasiado en responder.",
    CensusStatus.BLOCKED: (
        "La Registraduría no atendió la consulta por ahora: limita cuántas se le hacen seguidas."
    ),
}

# What comes next after a final answer (None: nothing to do).
AFTER_ANSWER: dict[CensusStatus, str | None] = {
    CensusStatus.ACTIVE: None,
    CensusStatus.NOT_FOUND: (
        "Si la cédula es reciente o se inscribió hace poco, puede tardar en aparecer: "
        "pida una nueva verificación con «Actualizar» más adelante."
    ),
    CensusStatus.CANCELLED_DECEASED: (
        "Si es un error, la persona debe aclararlo ante la Registraduría."
    ),
    CensusStatus.CANCELLED_OTHER: "La persona debe consultar en la Registraduría cómo resolverla.",
}

STILL_WAITING = "Esta sección se actualiza sola cuando llegue la respuesta."
ASK_AGAIN = "No hay otro intento automático programado: puede pedir uno con «Actualizar»."
RETRYING_NOW = "El nuevo intento automático está en curso; esta sección se actualiza sola."

# Tone of the notice: how the card colours it (the CSS has notice--warning and notice--error).
TONES: dict[CensusStatus, str] = {
    CensusStatus.PENDING: "muted",
    CensusStatus.PROCESSING: "muted",
    CensusStatus.ACTIVE: "muted",
    CensusStatus.NOT_FOUND: "warning",
    CensusStatus.CANCELLED_DECEASED: "error",
    CensusStatus.CANCELLED_OTHER: "error",
    CensusStatus.ERROR: "error",
    CensusStatus.TIMEOUT: "error",
    CensusStatus.BLOCKED: "error",
}


@dataclass(frozen=True)
class Explanation:
    happened: str
    next_step: str | None  # what happens next, or what the person can do; None: nothing
    tone: str  # muted, warning or error

    @property
    def text(self) -> str:
        """Both sentences in one line (the CSV's «Detalle»)."""
        return f"{self.happened} {self.next_step}" if self.next_step else self.happened


def explain(
    status: CensusStatus,
    now: datetime,
    next_retry_at: datetime | None = None,
    stuck_for: str | None = None,
    retry_grace: timedelta = timedelta(minutes=10),
) -> Explanation:
    """`stuck_for` («2 h 5 min») when a waiting check counts as stuck; `retry_grace`: how long
    after its time a retry still counts as under way (after that, «Actualizar»)."""
    if stuck_for:
        return Explanation(
            f"La verificación lleva {stuck_for} sin respuesta.",
            "Puede pedir una nueva con «Actualizar».",
            "warning",
        )
    happened, tone = WHAT_HAPPENED[status], TONES[status]
    if status.is_final:
        return Explanation(happened, AFTER_ANSWER[status], tone)
    if not status.is_failure:
        return Explanation(happened, STILL_WAITING, tone)
    return Explanation(happened, _after_failure(now, next_retry_at, retry_grace), tone)


def _after_failure(now: datetime, next_retry_at: datetime | None, grace: timedelta) -> str:
    if next_retry_at is None or next_retry_at + grace < now:
        return ASK_AGAIN
    if next_retry_at <= now:
        return RETRYING_NOW
    return f"Lo intentaremos de nuevo automáticamente el {date_time(next_retry_at)}."
