"""Text folding for matching the site's wording regardless of accents, case and spacing."""

from __future__ import annotations

import html
import re
import unicodedata

_SPACES = re.compile(r"\s+")
# What a cell of the census site's answer may not hold: control characters (C0, DEL, C1), lone
# surrogates and the two noncharacters; each becomes a space.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_CEDULA_SHAPED = re.compile(r"(?<![\w.-])[1-9][0-9]{5,9}(?![\w-])")


def fold(text: str) -> str:
    """`'  Dirección\\n'` → `'DIRECCION'`: entities decoded, no accents, upper case, one space."""
    decomposed = unicodedata.normalize("NFKD", html.unescape(text))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", bare).strip().upper()


def clean_cell(value: str) -> str:
    """A value of the census site's answer as it may be stored and shown: NFC, no control
    characters, lone surrogates or noncharacters, one space between words. Too long a value is
    refused later, by the schema's bounds (the answer is then an ERROR, never cut)."""
    return " ".join(unicodedata.normalize("NFC", _UNPRINTABLE.sub(" ", value)).split())


def without_cedulas(reason: str) -> str:
    """A reason quoting the site's words keeps them, minus what looks like a cédula (it goes to
    logs and dead letters): `1102812122` → `*******122`."""
    return _CEDULA_SHAPED.sub(lambda found: "*" * (len(found[0]) - 3) + found[0][-3:], reason)
