"""The consulta form of the `wsp` page: its address, reCAPTCHA sitekey, elections and fields."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

PAGE_PATH = "/censo/consultar/"
SITEKEY = "6LcthjAgAAAAAFIQLxy52074zanHv47cIvmIHglH"
CURRENT_PLACE = "-1"
ELECTIONS: tuple[tuple[str, str], ...] = (
    (CURRENT_PLACE, "LUGAR DE VOTACIÓN ACTUAL"),
    ("1", "ELECCIONES DE CONGRESO 8 DE MARZO DE 2026"),
    ("2", "PRESIDENTE Y VICEPRESIDENTE 31 DE MAYO DE 2026"),
)
_NUIP = re.compile(r"[1-9][0-9]{0,9}")


@dataclass(frozen=True)
class ConsultaForm:
    """The four fields the page's script POSTs (multipart or urlencoded)."""

    nuip: str
    tipo: str
    token: str
    captcha: str  # the g-recaptcha-response field

    @classmethod
    def from_fields(cls, fields: Mapping[str, object]) -> ConsultaForm:
        def text(name: str) -> str:
            value = fields.get(name)
            return value.strip() if isinstance(value, str) else ""

        return cls(text("nuip"), text("tipo"), text("token"), text("g-recaptcha-response"))

    @property
    def nuip_is_valid(self) -> bool:
        return _NUIP.fullmatch(self.nuip) is not None

    @property
    def tipo_is_valid(self) -> bool:
        return any(self.tipo == value for value, _ in ELECTIONS)
