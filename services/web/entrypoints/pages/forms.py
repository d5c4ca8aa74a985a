"""Reading submitted forms, and turning the registration API's answers into what a form shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from services.web.adapters.registration_client import Answer
from services.web.connection import AnyRequest
from services.web.views.formatting import duration

UNAVAILABLE = "El servicio de registro no responde. Intente de nuevo en unos minutos."


async def read_form(request: AnyRequest) -> dict[str, str]:
    """Single-valued fields as stripped strings (passwords keep their spaces)."""
    form = await request.form()
    return {
        key: value if "password" in key else str(value).strip()
        for key, value in form.items()
        if isinstance(value, str)
    }


async def read_list(request: AnyRequest, name: str) -> list[str]:
    form = await request.form()
    return [value for value in form.getall(name, []) if isinstance(value, str)]


@dataclass
class FormState:
    """What a form page shows after a submission: the values typed, errors per field, an alert."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    alert: tuple[str, str] | None = None

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.alert)


def state_from_answer(values: dict[str, Any], answer: Answer) -> FormState:
    """Field errors go next to their fields; 403, 409 and 429 become alerts."""
    errors = answer.field_errors
    state = FormState(values=values, errors=errors)
    if answer.status == 429:
        state.alert = ("warning", f"{answer.detail} {wait_text(answer.retry_after_s)}".strip())
    elif answer.status in (401, 403) or (answer.status >= 400 and not errors):
        state.alert = ("error", answer.detail or "No fue posible completar la solicitud.")
    return state


def wait_text(retry_after_s: int | None) -> str:
    if not retry_after_s:
        return ""
    return f"Podrá intentarlo de nuevo en {duration(timedelta(seconds=retry_after_s))}."
