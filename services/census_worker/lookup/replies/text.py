"""Text folding for matching the site's wording regardless of accents, case and spacing."""

from __future__ import annotations

import html
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """`'  Dirección\\n'` → `'DIRECCION'`: entities decoded, no accents, upper case, one space."""
    decomposed = unicodedata.normalize("NFKD", html.unescape(text))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", bare).strip().upper()
