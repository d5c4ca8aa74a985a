"""Reading the values of a consultacenso reply: keys in any case, loose flags, place, novedad."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from schemas.census import Novedad
from services.census_worker.lookup.replies.text import clean_cell, fold

Reply = dict[str, object]  # a JSON object of the reply, its keys lower-cased
# Data keys each VotingPlace field may come under; the first is the one seen on the live site.
PLACE_KEYS = {
    "departamento": ("nom_depto", "departamento", "depto"),
    "municipio": ("nom_mun", "municipio"),
    "puesto": ("nom_puesto", "puesto"),
    "direccion": ("direccion", "dir_puesto"),
    "mesa": ("mesa", "num_mesa"),
}
_TRUE = frozenset({"TRUE", "1", "S", "SI"})
_FALSE = frozenset({"FALSE", "0", "N", "NO"})
_RESOLUCION = re.compile(r"RESOLUCION\D{0,12}?(\d+(?:-\d+)*)(?![\d/])")
_FECHA = re.compile(r"\b(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})\b")
MAX_NOVEDAD_CHARS = 300  # schemas.census.Novedad.novedad


def lower_keys(values: Mapping[Any, object]) -> Reply:
    """The same object with its keys lower-cased (the API sends them in either case)."""
    return {str(key).lower(): value for key, value in values.items()}


def text(value: object) -> str:
    """A JSON string or number as trimmed text; objects, lists, booleans and null as ''."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ""
    return clean_cell(str(value))


def flag(value: object) -> bool | None:
    """A JSON boolean, or 1/0 and "true"/"false"/"S"/"N" as some APIs send them; else None."""
    if isinstance(value, bool):
        return value
    word = fold(text(value))
    if word in _TRUE:
        return True
    return False if word in _FALSE else None


def place_values(data: Reply) -> dict[str, str | None]:
    """Each VotingPlace field from the first of its keys that holds text; None when none does."""
    return {
        field: next((value for key in keys if (value := text(data.get(key)))), None)
        for field, keys in PLACE_KEYS.items()
    }


def novedad_of(mensaje: str, descripcion: str) -> Novedad:
    """Both texts kept (joined), with the resolución and date found in them when present."""
    parts = [mensaje] + ([descripcion] if descripcion and descripcion not in mensaje else [])
    joined = ": ".join(part for part in parts if part)
    folded = fold(joined)
    resolucion = _RESOLUCION.search(folded)
    fecha = _FECHA.search(folded)
    return Novedad(
        novedad=joined[:MAX_NOVEDAD_CHARS],
        resolucion=resolucion.group(1) if resolucion else None,
        fecha=fecha.group(1) if fecha else None,
    )
