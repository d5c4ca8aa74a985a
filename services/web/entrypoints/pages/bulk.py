"""The answer to a bulk refresh, as one alert: how many were queued, refused, or why none was."""

from __future__ import annotations

from litestar.response import Template

from services.web.adapters.registration_client import Answer
from services.web.entrypoints.pages.forms import wait_text
from services.web.entrypoints.pages.rendering import alert
from services.web.views.formatting import number


def _plural(count: int) -> str:
    return "referido" if count == 1 else "referidos"


def bulk_alert(answers: list[Answer]) -> Template:
    queued = sum(len(a.body.get("queued") or []) for a in answers if a.ok)
    refused = sum(len(a.body.get("refused") or []) for a in answers if a.ok)
    parts = []
    if queued:
        parts.append(f"Se solicitó la verificación de {number(queued)} {_plural(queued)}.")
    if refused:
        parts.append(f"{number(refused)} no se pudieron solicitar (sin permiso).")
    last = answers[-1]
    if not last.ok:
        parts.append(f"{last.detail} {wait_text(last.retry_after_s)}".strip())
        level = "warning" if queued or last.status == 429 else "error"
        return alert(level, " ".join(parts), status=last.status)
    return alert("success" if queued else "warning", " ".join(parts), status=202)
