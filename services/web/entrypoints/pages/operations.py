"""Operación (ADMIN only): Kafka's topics with their counts, the consumer groups' lag and the dead
letters, the census lookups waiting and the hosts' capacity, refreshed every few seconds;
redriving dead letters; the last long operations (revalidation, rebuild, redrive) with their
progress. Kafka out of reach is a message, not an error: the runs and the last capacity report
come from the web database and still show."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import structlog
from litestar import get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncEngine

from services.common.text import ascii_number
from services.kafka_admin.browse import RecordView
from services.kafka_admin.dead_letters import DEAD_LETTER_TOPICS, Skip
from services.web.adapters.event_flow import EventFlow, FlowOverview, KafkaUnreachable
from services.web.adapters.operation_runs import RunKind, recorded_run
from services.web.auth.viewer import Viewer
from services.web.clock import Clock
from services.web.connection import AnyRequest
from services.web.entrypoints.pages.charts import flow_context
from services.web.entrypoints.pages.forms import read_form
from services.web.entrypoints.pages.rendering import Layout, flash, fragment, see_other
from services.web.queries import operations as q
from services.web.queries.capacity import latest_capacity
from services.web.settings import WebSettings
from services.web.views.capacity import capacity_view
from services.web.views.operations import GROUP_STATES, TOPIC_LABELS, run_view

log = structlog.get_logger(__name__)
PAGE = "/admin/operacion"
KAFKA_DOWN = (
    "No fue posible consultar Kafka: no responde en este momento. "
    "La página lo intentará de nuevo en unos segundos."
)
LETTERS_SHOWN = 20


async def _status(
    event_flow: EventFlow, engine: AsyncEngine, settings: WebSettings, clock: Clock
) -> dict[str, Any]:
    """What the live part of the page shows: Kafka's state (or why not), the census hosts'
    capacity with the lookups waiting, and the runs."""
    overview: FlowOverview | None = None
    kafka_error: str | None = None
    try:
        overview = await event_flow.overview()
    except KafkaUnreachable as exc:
        log.warning("web.operations.kafka_unreachable", error=str(exc))
        kafka_error = KAFKA_DOWN
    async with engine.connect() as conn:
        runs = [run_view(row) for row in await q.recent_runs(conn)]
        latest = {
            kind.value: await q.latest_run_of(conn, kind.value)
            for kind in (RunKind.REVALIDATION, RunKind.REBUILD)
        }
        report = await latest_capacity(conn)
    lags = overview.groups if overview else None
    return {
        "capacity": capacity_view(report, lags, settings.census_worker_group_id, clock.now()),
        "overview": overview,
        "kafka_error": kafka_error,
        "runs": runs,
        "latest": {kind: run_view(row) if row else None for kind, row in latest.items()},
        "dead_letter_topics": DEAD_LETTER_TOPICS,
        "topic_labels": TOPIC_LABELS,
        "group_states": GROUP_STATES,
    }


async def _letters(event_flow: EventFlow) -> dict[str, list[RecordView]] | None:
    try:
        return {dlt: await event_flow.letters(dlt, LETTERS_SHOWN) for dlt in DEAD_LETTER_TOPICS}
    except KafkaUnreachable:
        return None


@get(PAGE, name="operations_page", include_in_schema=False)
async def operations_page(
    layout: NamedDependency[Layout],
    event_flow: NamedDependency[EventFlow],
    engine: NamedDependency[AsyncEngine],
    settings: NamedDependency[WebSettings],
    clock: NamedDependency[Clock],
) -> Template:
    status = await _status(event_flow, engine, settings, clock)
    letters = await _letters(event_flow) if status["overview"] else None
    charts = await flow_context(engine, clock)
    return layout.page("admin/operation.html", letters=letters, **status, **charts)


@get(f"{PAGE}/estado", name="operations_status", include_in_schema=False)
async def operations_status(
    event_flow: NamedDependency[EventFlow],
    engine: NamedDependency[AsyncEngine],
    settings: NamedDependency[WebSettings],
    clock: NamedDependency[Clock],
) -> Template:
    status = await _status(event_flow, engine, settings, clock)
    return fragment("admin/_operation_status.html", **status)


def admin_operator(viewer: Viewer) -> str:
    """Who redrove, as the audit event and the runs table name them."""
    return f"{viewer.nombre} (web, usuario {viewer.user_id})"


def _spot(raw: str) -> tuple[int, int] | None:
    partition_text, _, offset_text = raw.partition(":")
    partition, offset = ascii_number(partition_text, 9), ascii_number(offset_text, 18)
    return (partition, offset) if partition is not None and offset is not None else None


@post(f"{PAGE}/reenviar", name="operations_redrive", include_in_schema=False)
async def operations_redrive(
    request: AnyRequest,
    viewer: NamedDependency[Viewer],
    event_flow: NamedDependency[EventFlow],
    engine: NamedDependency[AsyncEngine],
) -> Redirect:
    form = await read_form(request)
    dlt, at = form.get("dlt", ""), form.get("at", "")
    spot = _spot(at) if at else None
    if dlt not in DEAD_LETTER_TOPICS or (at and spot is None):
        flash(request, "error", "Elija un tópico de mensajes fallidos válido.")
        return see_other(PAGE)
    operator = admin_operator(viewer)
    run = recorded_run(engine, RunKind.REDRIVE, operator, f"{dlt} {at}".strip())
    try:
        async with run as progress:
            report = await event_flow.redrive(
                dlt, operator, {spot} if spot else None, progress.advance
            )
            progress.message = skipped_text(report.skipped) or ""
    except KafkaUnreachable as exc:
        log.warning("web.operations.redrive_cut", dlt=dlt, done=progress.done, error=str(exc))
        flash(request, "error", interrupted_text(progress.done))
        return see_other(PAGE)
    flash(request, "success", redrive_text(dlt, report.redriven, report.skipped))
    return see_other(PAGE)


def interrupted_text(done: int) -> str:
    if done == 0:
        return "No se reenvió nada: Kafka no responde. Intente de nuevo en unos minutos."
    return (
        f"Kafka dejó de responder: se alcanzaron a reenviar {done} mensajes. "
        "Al reenviar de nuevo se envían solo los que faltaron."
    )


# Why letters stayed in their dead-letter topic, as an admin reads it (singular, plural).
_SKIP_WORDS: dict[Skip, tuple[str, str]] = {
    Skip.TRUNCATED: ("truncado", "truncados"),
    Skip.UNDECODABLE: ("ilegible", "ilegibles"),
    Skip.ALREADY_REDRIVEN: ("ya reenviado antes", "ya reenviados antes"),
    Skip.NO_ORIGIN: ("sin tópico de origen", "sin tópico de origen"),
    Skip.FEEDS_DLT: ("con destino a un tópico de fallidos",) * 2,
}


def skipped_text(skipped: Mapping[Skip, int]) -> str | None:
    """«3 no se reenviaron: 2 truncados, 1 ilegible», or None when none was left."""
    total = sum(skipped.values())
    if not total:
        return None
    parts = [
        f"{skipped[reason]} {_SKIP_WORDS[reason][skipped[reason] != 1]}"
        for reason in _SKIP_WORDS
        if skipped.get(reason)
    ]
    verb = "no se reenvió" if total == 1 else "no se reenviaron"
    return f"{total} {verb}: {', '.join(parts)}."


def redrive_text(dlt: str, redriven: int, skipped: Mapping[Skip, int]) -> str:
    if redriven == 0:
        text = f"No se reenvió ningún mensaje de {dlt}."
    elif redriven == 1:
        text = f"Se reenvió 1 mensaje de {dlt} a su tópico original."
    else:
        text = f"Se reenviaron {redriven} mensajes de {dlt} a su tópico original."
    left = skipped_text(skipped)
    if left is None:
        return text if redriven else f"No había mensajes para reenviar en {dlt}."
    return f"{text} {left}"


OPERATIONS_HANDLERS = [operations_page, operations_status, operations_redrive]
