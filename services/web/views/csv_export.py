"""CSV of the referidos table, safe to open in a spreadsheet.

A cell starting with = + - @ (or a tab or carriage return) is a formula to Excel and LibreOffice:
a name like «=HYPERLINK(...)» would run when the leader opens the file. Such cells get a leading
apostrophe, which spreadsheets show as plain text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_line(cells: Iterable[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([neutralise(cell) for cell in cells])
    return buffer.getvalue()


async def csv_lines(
    header: list[str], rows: AsyncIterator[Any], cells: Callable[[Any], Iterable[object]]
) -> AsyncIterator[str]:
    """A byte-order mark (Excel reads UTF-8 then), the header, then one line per row."""
    yield "\ufeff" + csv_line(header)
    async for row in rows:
        yield csv_line(cells(row))
