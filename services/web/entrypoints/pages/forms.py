"""Reading submitted forms, and turning the registration API's answers into what a form shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from services.common.text import ascii_number
from services.web.adapters.registration_client import Answer
from services.web.connection import AnyRequest
from services.web.views.formatting import duration

UNAVAILABLE = "El servicio de registro no responde. Intente de nuevo en unos minutos."
GOAL_NOT_A_NUMBER = "Meta de referidos: debe ser un número entero entre 1 y 10.000."
# Longer numbers cannot be a goal; the registration API checks the exact range.
GOAL_MAX_DIGITS = 9


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


@dataclass(frozen=True)
class ProfileForm:
    """A person's data as typed (the profile's, or an ADMIN's edit of them), the meta parsed."""

    values: dict[str, Any]  # as typed, to show again
    goal: int | None  # None: the meta typed is not a number

    @property
    def problem(self) -> FormState | None:
        """What the form shows when the meta is not a number (nothing is sent then)."""
        if self.goal is None:
            return FormState(values=self.values, errors={"referral_goal": GOAL_NOT_A_NUMBER})
        return None

    @property
    def changes(self) -> dict[str, Any]:
        """What to send to the registration API: the values with the meta as a number."""
        return self.values | {"referral_goal": self.goal}


async def read_profile_form(request: AnyRequest, fields: tuple[str, ...]) -> ProfileForm:
    """`fields` of the submitted form (`referral_goal` among them), the meta parsed."""
    form = await read_form(request)
    values: dict[str, Any] = {name: form.get(name, "") for name in fields}
    return ProfileForm(values, ascii_number(values["referral_goal"], GOAL_MAX_DIGITS))


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
