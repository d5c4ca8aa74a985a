"""A person's data as files: JSON as it is, and CSV with one line per field (section, item,
field, value), which any spreadsheet opens."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from services.web.views.csv_export import csv_line

CSV_HEADER = ["sección", "elemento", "campo", "valor"]


def as_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_plain).encode()


def csv_lines(data: dict[str, Any]) -> Iterator[str]:
    """A byte-order mark (Excel reads UTF-8 then), the header, then one line per field."""
    yield "\ufeff" + csv_line(CSV_HEADER)
    for section, value in data.items():
        items = value if isinstance(value, list) else [value] if value else []
        for n, item in enumerate(items, start=1):
            for field, cell in item.items():
                yield csv_line([section, n, field, _plain(cell)])


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    return "" if value is None else str(value) if not isinstance(value, int | float) else value
