"""Search by name or cédula: digits look for a cédula prefix, anything else for part of the name,
ignoring case and accents («jose» finds «José»).

Both are indexed (web migration 0006): the folded name by a trigram index (`pg_trgm`) on exactly
the expression `folded()` writes, and the cédula prefix by a pattern index. The folding's
constants and the prefix are written into the SQL, not sent as parameters: an expression index
matches only the same expression, and a prefix `LIKE` uses a b-tree only for a known prefix.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import ColumnElement, String, func, literal, literal_column

from services.common.text import is_ascii_digits
from services.web.adapters.tables import users

ACCENTED = "ÁÉÍÓÚÜÑáéíóúüñÀÈÌÒÙàèìòù"
PLAIN = "AEIOUUNaeiouunAEIOUaeiou"


def fold(text: str) -> str:
    """Lower case without accents, as `_folded` does in SQL."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def folded(column: ColumnElement[str]) -> ColumnElement[str]:
    """lower(translate(column, ACCENTED, PLAIN)), as the trigram index was made."""
    accented = literal_column(f"'{ACCENTED}'", String)
    plain = literal_column(f"'{PLAIN}'", String)
    return func.lower(func.translate(column, accented, plain))


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def matches(q: str) -> ColumnElement[bool]:
    term = " ".join(q.replace("\x00", "").split())  # PostgreSQL text cannot hold a NUL
    digits = term.replace(".", "").replace(" ", "")
    if is_ascii_digits(digits):
        return users.c.cedula.like(literal(f"{digits}%", literal_execute=True))
    return folded(users.c.nombre).like(f"%{_like_escape(fold(term))}%", escape="\\")
