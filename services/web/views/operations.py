"""How a run of a long operation reads on the Operación page: Spanish labels, a percentage for
the bar, the rate and the time left, and a warning when a running one stopped reporting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from services.web.views.formatting import duration, number

KIND_LABELS = {
    "revalidation": "Revalidación",
    "rebuild": "Reconstrucción del modelo de lectura",
    "redrive": "Reenvío de mensajes fallidos",
}
STATUS_LABELS = {
    "planned": "Planeada",
    "cancelled": "Cancelada",
    "running": "En curso",
    "succeeded": "Terminada",
    "failed": "Falló",
}
STATUS_BADGES = {
    "planned": "badge badge--waiting",
    "cancelled": "badge badge--warning",
    "running": "badge badge--working",
    "succeeded": "badge badge--good",
    "failed": "badge badge--failed",
}
# What each topic is for and Kafka's words for a group's state, in the page's language.
TOPIC_LABELS = {
    "accounts.events": "Eventos de las cuentas (registro, perfil, roles)",
    "census.requests": "Solicitudes de validación del censo (una persona espera)",
    "census.requests.bulk": "Solicitudes de validación en bloque (revalidaciones, reenvíos)",
    "census.results": "Respuestas del censo (inicio, resultado, falla)",
    "census.worker.retry-1": "Reintentos del censo, nivel 1",
    "census.worker.retry-2": "Reintentos del censo, nivel 2",
    "census.worker.retry-3": "Reintentos del censo, nivel 3",
    "census.worker.dlt": "Consultas que el trabajador del censo abandonó",
    "web.projector.dlt": "Eventos que el tablero no pudo leer",
    "census.status": "Estado de los sitios del censo y gasto de captchas (cada pocos segundos)",
    "census.control": "Órdenes a los trabajadores del censo (reanudar un sitio)",
    "ops.audit": "Acciones de los operadores",
}
GROUP_STATES = {
    "Stable": "Estable",
    "Empty": "Sin miembros",
    "PreparingRebalance": "Reasignando particiones",
    "CompletingRebalance": "Reasignando particiones",
    "Dead": "Inactivo",
}
SILENT_AFTER = timedelta(seconds=60)  # a live run reports every second or so


@dataclass(frozen=True)
class RunView:
    run_id: int
    kind: str
    operator: str
    target: str
    status: str
    status_label: str
    badge: str
    done: int
    total: int | None
    percent: int | None
    rate: str
    remaining: str | None
    silent_for: str | None
    message: str | None
    started_at: datetime
    finished_at: datetime | None
    due_at: datetime | None = None  # a planned run: when it runs

    @property
    def planned(self) -> bool:
        return self.status == "planned"

    @property
    def running(self) -> bool:
        return self.status == "running"


def run_view(row: Any, now: datetime | None = None) -> RunView:
    now = now or datetime.now(UTC)
    end = row.finished_at or row.updated_at
    seconds = max((end - row.started_at).total_seconds(), 1e-6)
    rate = row.done / seconds
    percent = min(100, row.done * 100 // row.total) if row.total else None
    left = (row.total - row.done) / rate if row.total and rate and row.status == "running" else None
    silent = now - row.updated_at if row.status == "running" else timedelta(0)
    return RunView(
        run_id=row.run_id,
        kind=KIND_LABELS.get(row.kind, row.kind),
        operator=row.operator,
        target=row.target,
        status=row.status,
        status_label=STATUS_LABELS.get(row.status, row.status),
        badge=STATUS_BADGES.get(row.status, "badge badge--waiting"),
        done=row.done,
        total=row.total,
        percent=100 if row.status == "succeeded" and row.total else percent,
        rate=f"{number(round(rate))}/s",
        remaining=duration(timedelta(seconds=left)) if left is not None else None,
        silent_for=duration(silent) if silent > SILENT_AFTER else None,
        message=row.message,
        started_at=row.started_at,
        finished_at=row.finished_at,
        due_at=getattr(row, "due_at", None),
    )
