"""The consultacenso form: its reCAPTCHA sitekey, its elections and the JSON the page POSTs."""

from __future__ import annotations

import re
from dataclasses import dataclass

SITEKEY = "6LeLRw0tAAAAAOfUZZ34vi2KKHjukhLhQ5lfzuLM"
CURRENT_PLACE_ID = 0
# GET /back/api/elecciones answers exactly this list on the live site (2026).
ELECTIONS: tuple[dict[str, object], ...] = (
    {"id": CURRENT_PLACE_ID, "nombre": "LUGAR DE VOTACION ACTUAL", "mensaje": ""},
)
_DOCUMENTO = re.compile(r"[1-9][0-9]{0,9}")


def _text(value: object) -> str:
    """A JSON string or integer as text; anything else (objects, booleans, null) as ''."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


@dataclass(frozen=True)
class ConsultaRequest:
    """`{"documento": "...", "eleccionId": 0, "captchaToken": "..."}` from the page's script."""

    documento: str
    eleccion_id: str
    captcha_token: str

    @classmethod
    def from_json(cls, payload: object) -> ConsultaRequest | None:
        """None when the body is not a JSON object."""
        if not isinstance(payload, dict):
            return None
        fields = (payload.get("documento"), payload.get("eleccionId"), payload.get("captchaToken"))
        return cls(*(_text(value) for value in fields))

    @property
    def documento_is_valid(self) -> bool:
        return _DOCUMENTO.fullmatch(self.documento) is not None

    @property
    def eleccion_is_valid(self) -> bool:
        return any(self.eleccion_id == str(election["id"]) for election in ELECTIONS)
