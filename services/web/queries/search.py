"""Search by name or cédula: digits look for a cédula prefix, anything else for part of the name,
ignoring case and accents («jose» finds «José»).

Both are indexed (web migration 0006): the name is folded once, when written, into the stored
column `nombre_folded`, which a trigram index (`pg_trgm`) serves; the cédula prefix by a pattern
index. The prefix is written into the SQL, not sent as a parameter: a prefix `LIKE` uses a b-tree
only for a prefix known when the statement is planned.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import ColumnElement, literal

from services.common.text import is_ascii_digits
from services.web.adapters.tables import users


def fold(text: str) -> str:
    """Lower case without accents, as `nombre_folded` is stored (web migration 0006)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def matches(q: str) -> ColumnElement[bool]:
    term = " ".join(q.replace("\x00", "").split())  # PostgreSQL text cannot hold a NUL
    digits = term.replace(".", "").replace(" ", "")
    if is_ascii_digits(digits):
        return users.c.cedula.like(literal(f"{digits}%", literal_execute=True))
    return users.c.nombre_folded.like(f"%{_like_escape(fold(term))}%", escape="\\")
