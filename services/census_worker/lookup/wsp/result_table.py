"""Reads the `wsp` result table (table#consulta) by its headers, never by column position."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag
from pydantic import ValidationError

from schemas.census import CensusStatus, Novedad, VotingPlace
from services.census_worker.domain.model import LookupResult
from services.census_worker.lookup.replies.text import clean_cell, fold, without_cedulas

# Folded header texts each field may appear under; the first is the one seen on the live site.
PLACE_HEADERS = {
    "departamento": ("DEPARTAMENTO", "DEPTO"),
    "municipio": ("MUNICIPIO",),
    "puesto": ("PUESTO", "PUESTO DE VOTACION", "NOMBRE PUESTO", "LUGAR DE VOTACION"),
    "direccion": ("DIRECCION", "DIRECCION PUESTO", "DIRECCION DEL PUESTO"),
    "mesa": ("MESA", "MESA DE VOTACION"),
}
NOVEDAD_HEADERS = {
    "novedad": ("NOVEDAD",),
    "resolucion": ("RESOLUCION", "NUMERO RESOLUCION", "NO. RESOLUCION"),
    "fecha": ("FECHA NOVEDAD", "FECHA DE NOVEDAD", "FECHA"),
}
NUIP_HEADERS = ("NUIP", "CEDULA", "DOCUMENTO")
_NOT_DIGITS = re.compile(r"\D")


def has_table(message_html: str) -> bool:
    return "<table" in message_html.lower()


def read_first_row(message_html: str) -> dict[str, str]:
    """Cells of the table's first data row, keyed by folded header (`td[data-th]` or its `th`)."""
    soup = BeautifulSoup(message_html, "html.parser")
    table = soup.find("table", id="consulta") or soup.find("table")
    if not isinstance(table, Tag):
        return {}
    headers = [fold(th.get_text(" ")) for th in table.find_all("th")]
    for row in table.find_all("tr"):
        cells = row.find_all("td")
        if cells:
            return _keyed_cells(cells, headers)
    return {}


def _keyed_cells(cells: list[Tag], headers: list[str]) -> dict[str, str]:
    keyed: dict[str, str] = {}
    for index, cell in enumerate(cells):
        label = cell.get("data-th")
        header = fold(str(label)) if label else (headers[index] if index < len(headers) else "")
        if header:
            keyed.setdefault(header, clean_cell(cell.get_text(" ")))
    return keyed


def _pick(cells: dict[str, str], aliases: tuple[str, ...]) -> str | None:
    return next((cells[name] for name in aliases if cells.get(name)), None)


def result_from_table(message_html: str, *, source: str, cedula: str | None = None) -> LookupResult:
    """ACTIVE with its voting place, CANCELLED_* with its novedad, ERROR when headers lack."""
    cells = read_first_row(message_html)
    nuip = _pick(cells, NUIP_HEADERS)
    if cedula and nuip and _NOT_DIGITS.sub("", nuip) != cedula:
        return _error("the result table is for another cédula", message_html, source)
    try:
        if novedad := _pick(cells, NOVEDAD_HEADERS["novedad"]):
            return _novedad_result(novedad, cells, source)
        return _place_result(cells, message_html, source)
    except ValidationError as exc:
        return _error(
            f"result table values out of bounds: {exc.error_count()} error(s)", message_html, source
        )


def _novedad_result(text: str, cells: dict[str, str], source: str) -> LookupResult:
    novedad = Novedad(
        novedad=text,
        resolucion=_pick(cells, NOVEDAD_HEADERS["resolucion"]),
        fecha=_pick(cells, NOVEDAD_HEADERS["fecha"]),
    )
    deceased = "MUERTE" in fold(novedad.novedad)
    status = CensusStatus.CANCELLED_DECEASED if deceased else CensusStatus.CANCELLED_OTHER
    return LookupResult(status=status, source=source, novedad=novedad)


def _place_result(cells: dict[str, str], message_html: str, source: str) -> LookupResult:
    values = {field: _pick(cells, names) for field, names in PLACE_HEADERS.items()}
    missing = sorted(field for field, value in values.items() if value is None)
    if missing:
        headers = ", ".join(cells) or "none"
        reason = f"result table without {', '.join(missing)} (headers: {headers})"
        return _error(reason[:500], message_html, source)
    place = VotingPlace(**{field: value for field, value in values.items() if value is not None})
    return LookupResult(status=CensusStatus.ACTIVE, source=source, voting_place=place)


def _error(reason: str, raw: str, source: str) -> LookupResult:
    return LookupResult.failure(CensusStatus.ERROR, source, without_cedulas(reason), raw)
