"""Search by name or cédula: digits look for a cédula prefix, anything else for part of the name,
ignoring case and accents («jose» finds «José»)."""

from __future__ import annotations

import unicodedata

from sqlalchemy import ColumnElement, func

from services.common.text import is_ascii_digits
from services.web.adapters.tables import users

_ACCENTED = "ÁÉÍÓÚÜÑáéíóúüñÀÈÌÒÙàèìòù"
_PLAIN = "AEIOUUNaeiouunAEIOUaeiou"


def fold(text: str) -> str:
    """Lower case without accents, as `_folded` does in SQL."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _folded(column: ColumnElement[str]) -> ColumnElement[str]:
    return func.lower(func.translate(column, _ACCENTED, _PLAIN))


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def matches(q: str) -> ColumnElement[bool]:
    term = " ".join(q.replace("\x00", "").split())  # PostgreSQL text cannot hold a NUL
    digits = term.replace(".", "").replace(" ", "")
    if is_ascii_digits(digits):
        return users.c.cedula.like(f"{digits}%")
    return _folded(users.c.nombre).like(f"%{_like_escape(fold(term))}%", escape="\\")
