"""How the census hosts' capacity reads on Operación: the lookups waiting per lane, each host's
budget and circuit, the backlog's ETA in words, and the captcha account, all in Spanish."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from schemas.events import CensusCapacityReportedData, CensusHostState
from services.kafka_admin import census_capacity as cap
from services.web.views.captcha import CaptchaView, captcha_view
from services.web.views.formatting import date_time, duration, number

LANE_LABELS = {
    "interactive": "Interactiva (registros y actualizaciones de una persona)",
    "bulk": "En bloque (revalidaciones, «Actualizar todos», reenvíos)",
    "retries": "Reintentos",
}
NO_ESTIMATE = {
    cap.NoEstimate.NO_REPORT: "Sin estimación: los trabajadores del censo aún no informan.",
    cap.NoEstimate.STALE: "Sin estimación: los trabajadores del censo no están informando.",
    cap.NoEstimate.ALL_CIRCUITS_OPEN: (
        "Sin estimación: todos los sitios del censo están pausados (circuito abierto). "
        "Las consultas no avanzarán hasta que se reanude alguno."
    ),
    cap.NoEstimate.NO_INTERVAL: (
        "Sin estimación: no hay intervalo mínimo entre consultas (WORKER_MIN_INTERVAL_S = 0)."
    ),
    cap.NoEstimate.NO_LAG: "Sin estimación: no fue posible consultar Kafka.",
}


@dataclass(frozen=True)
class LaneView:
    label: str
    topics: tuple[str, ...]
    waiting: int | None


@dataclass(frozen=True)
class HostView:
    host: str
    turns_last_minute: int
    turns_last_hour: int
    budget_percent: int | None
    cooldown_until: str | None  # only while it lasts
    circuit_open_since: str | None
    circuit_reason: str | None
    last_raw_answer: str | None
    answer_id: str  # one per opening: the page keeps that answer unfolded while it refreshes


@dataclass(frozen=True)
class CapacityView:
    reported_at: str | None
    silence: str | None  # the workers are not reporting (or never did)
    lanes: list[LaneView]
    hosts: list[HostView]
    waiting: int | None
    eta: str  # what waits and when it would be done («… en unos 25 minutos»), or why not said
    captcha: CaptchaView | None


def capacity_view(
    report: CensusCapacityReportedData | None,
    lags: Iterable[cap.ConsumerLag] | None,
    worker_group: str,
    now: datetime,
) -> CapacityView:
    """`lags`: every group's lag per topic, None when Kafka is out of reach."""
    backlogs = cap.lane_backlogs(worker_group, lags) if lags is not None else None
    waiting = cap.waiting_total(backlogs) if backlogs is not None else None
    return CapacityView(
        reported_at=date_time(report.reported_at) if report else None,
        silence=silence_text(report, now),
        lanes=[
            LaneView(LANE_LABELS[b.lane.name], b.lane.topics, b.waiting) for b in backlogs or []
        ],
        hosts=[host_view(host, report.interval_s, now) for host in report.hosts] if report else [],
        waiting=waiting,
        eta=eta_text(cap.backlog_eta(report, waiting, now), waiting),
        captcha=captcha_view(report.captcha) if report and report.captcha else None,
    )


def silence_text(report: CensusCapacityReportedData | None, now: datetime) -> str | None:
    if report is None:
        return "Los trabajadores del censo aún no han informado su estado."
    if not cap.is_stale(report, now):
        return None
    return (
        f"Los trabajadores del censo no informan su estado desde hace "
        f"{duration(now - report.reported_at)}: las cifras pueden no estar al día "
        "(¿están detenidos?)."
    )


def host_view(host: CensusHostState, interval_s: float, now: datetime) -> HostView:
    used = cap.budget_used(host, interval_s)
    since = host.circuit_open_since
    return HostView(
        host=host.host,
        turns_last_minute=host.turns_last_minute,
        turns_last_hour=host.turns_last_hour,
        budget_percent=round(used * 100) if used is not None else None,
        cooldown_until=date_time(host.cooldown_until) if cap.cooling_down(host, now) else None,
        circuit_open_since=date_time(host.circuit_open_since) if cap.circuit_open(host) else None,
        circuit_reason=host.circuit_reason,
        last_raw_answer=host.last_raw_answer,
        answer_id=f"respuesta-{host.host}-{since.timestamp():.0f}" if since else "",
    )


def eta_text(eta: float | cap.NoEstimate, waiting: int | None) -> str:
    if waiting == 0:
        return "No hay consultas en espera."
    if isinstance(eta, cap.NoEstimate):
        return NO_ESTIMATE[eta] if waiting is None else f"{_backlog(waiting)}. {NO_ESTIMATE[eta]}"
    return f"{_backlog(waiting or 0)}: al ritmo permitido terminarían en {approximately(eta)}."


def _backlog(waiting: int) -> str:
    return "1 consulta en espera" if waiting == 1 else f"{number(waiting)} consultas en espera"


def approximately(seconds: float) -> str:
    """«menos de un minuto», «unos 25 minutos», «unas 5 horas», «más de 2 días»."""
    minutes = round(seconds / 60)
    if minutes < 1:
        return "menos de un minuto"
    if minutes == 1:
        return "un minuto"
    if minutes < 120:
        return f"unos {minutes} minutos"
    hours = round(seconds / 3600)
    if hours < 48:
        return f"unas {hours} horas"
    return f"más de {number(int(seconds // 86_400))} días"
